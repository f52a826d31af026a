/**
 * Activity stubs shared by the migration workflows, with timeouts and retries per kind of work.
 *
 * Every activity heartbeats at least every 3 s while it runs (activities/keepalive.ts; the
 * worker sends heartbeats at most 3 s apart, worker/worker.ts), so a 15 s heartbeat timeout
 * notices a dead worker in seconds and its retry resumes from the last
 * checkpoint on a live one. Short calls have no heartbeat and a start-to-close of seconds.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { MigrationActivities, OnTheWire } from '../activities/contract';
import type { PreflightActivities } from '../activities/preflight/activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../activities/failureTypes';

/** How long a dead worker can hold an activity before another attempt starts. */
export const HEARTBEAT_TIMEOUT = '15 seconds';

/** Failure types no retry can fix: the list the activities raise from (activities/failureTypes.ts). */
const nonRetryableErrorTypes = [...NON_RETRYABLE_ERROR_TYPES];

/** Short calls: claim checks, prerequisite checks, reports. */
export const quick = proxyActivities<OnTheWire<MigrationActivities> & PreflightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes },
});

/**
 * Paging work (table rewrites, copies, scans, Parameter Store writes): long, heartbeating with
 * a resume cursor, so a worker crash resumes from the last finished page on another worker.
 */
export const paging = proxyActivities<OnTheWire<MigrationActivities>>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 20, initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
});

/** Backups can take hours on large tables; the waiting activity heartbeats while it polls. */
export const slow = proxyActivities<OnTheWire<MigrationActivities>>({
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 10, maximumInterval: '5 minutes' },
});
