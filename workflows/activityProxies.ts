/** Activity stubs shared by the migration workflows, with timeouts and retries per kind of work. */
import { proxyActivities } from '@temporalio/workflow';
import type { MigrationActivities, OnTheWire } from '../activities/contract';
import type { PreflightActivities } from '../activities/preflight/activities';

/** Short calls: claim checks, prerequisite checks, reports. */
export const quick = proxyActivities<OnTheWire<MigrationActivities> & PreflightActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Paging work (table rewrites, copies, scans): long, heartbeating with a resume cursor, so a
 * worker crash resumes from the last finished page on another worker after the heartbeat timeout.
 */
export const paging = proxyActivities<OnTheWire<MigrationActivities>>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 20, initialInterval: '2 seconds', maximumInterval: '5 minutes', nonRetryableErrorTypes: ['RewriteConflictError', 'FatalAwsError', 'ClaimCheckIntegrityError'] },
});

/** Backups can take hours on large tables. */
export const slow = proxyActivities<OnTheWire<MigrationActivities>>({
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: '5 minutes',
  retry: { maximumAttempts: 10, maximumInterval: '5 minutes' },
});
