/**
 * The write pass of a migration, driven in process, in the workflows' order, through the
 * registered activities (createActivities), each attempt in its own activity context:
 *
 *   run-wide copies → USER_DATA_STORAGE steps 1 and 2 → per user (objects, conversions,
 *   pointers ready?, tables: the user workflow's three coarse activities) → table scans and
 *   the outsiders' references passes
 *
 * Both passes leave the per-user tables to one scan each after the users, as the workflow
 * does for tables of this size (src/plan/userTablePlan.ts): the plan's scans plan, the
 * approved pass's write.
 *
 * An attempt that fails is retried as Temporal would: a new attempt whose
 * `info.heartbeatDetails` are the last heartbeat of the one before (JSON round-tripped, as
 * the server stores them). A killed attempt (the fault proxy's kill) is abandoned: it is
 * cancelled, its requests are dropped, and the next attempt resumes from its last heartbeat.
 *
 * Writes record to a ledger as in a real run (a fresh run id per pass).
 *
 * Concurrency is 1 everywhere, so the k-th request is the same request in every run and a
 * failing case can be replayed. The workflows' own decisions come from the same pure
 * functions (src/plan/steps.ts), so this script and the workflows cannot drift apart.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities';
import { fixedRunLedgerResolver } from '../../activities/ledger/resolver';
import type { AwsClients } from '../../activities/aws/clients';
import type { IdMapCache } from '../../activities/dynamo/idMapClaimCheck';
import { compactDeployment, type Deployment } from '../../src/deployment/catalogue';
import type { IdPair } from '../../src/idmap/types';
import { bulkSources, perUserTables, pointersReady, referenceTables, scannedTables } from '../../src/plan/steps';
import { tablesPlannedByScan } from '../../src/plan/userTablePlan';
import { emptyTotals, mergeTotals, type Totals } from '../../src/report/counters';
import type { IdMapRef } from '../../workflows/types';
import type { FaultProxy } from './faultProxy';

/** Temporal would give up after the paging proxy's maximumAttempts; a single fault never needs that many. */
const MAX_ATTEMPTS = 20;

export interface ScriptedRunInput {
  clients: AwsClients;
  deployment: Deployment;
  idMapRef: IdMapRef;
  pairs: IdPair[];
  dryRun: boolean;
  idMapCache: IdMapCache;
  /** The proxy the clients go through, so a kill abandons the attempt in flight. */
  proxy?: FaultProxy;
  /**
   * A killed attempt's last heartbeat never reached the server (the SDK throttles heartbeats,
   * so the newest ones can die with the worker): its retry resumes from the one before.
   */
  staleHeartbeatOnKill?: boolean;
}

export interface ScriptedRunResult {
  totals: Totals;
  /** Attempts beyond the first, over all activities (retries after failures and kills). */
  retries: number;
  /** Activities that failed for good (a non-retryable failure, as the workflow would record it). */
  failed: string[];
}

export async function scriptedRun(input: ScriptedRunInput): Promise<ScriptedRunResult> {
  const activities = createActivities({
    clients: input.clients,
    idMapCache: input.idMapCache,
    // A real run's ledger (write-ahead chunks in the consolidation bucket), under a run id of
    // its own: its requests are faulted like any other, and a retry after a kill counts the
    // killed attempt's writes from it, so the counts are exact across kills too.
    ledger: fixedRunLedgerResolver(input.clients, `harness-${randomUUID()}`),
    tables: { concurrency: 1 },
    objects: { copyConcurrency: 1 },
    stepConcurrency: 1,
  });
  const deployment = compactDeployment(input.deployment);
  const write = { dryRun: input.dryRun, onConflict: 'skip' as const };
  const idMapRef = input.idMapRef;
  let totals = emptyTotals();
  let retries = 0;
  const failed: string[] = [];

  /** One activity to completion, as Temporal's retry policy would run it. */
  async function execute(name: string, fn: () => Promise<Totals>): Promise<Totals> {
    let details: unknown;
    const scheduledTimestampMs = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) retries++;
      const env = new MockActivityEnvironment({ attempt, activityType: name, heartbeatTimeoutMs: 30_000, heartbeatDetails: details, scheduledTimestampMs });
      // The heartbeat before the latest: what the server holds when the latest was lost.
      let beforeLatest = details;
      env.on('heartbeat', (d: unknown) => {
        if (d === undefined) return;
        beforeLatest = details;
        details = JSON.parse(JSON.stringify(d));
      });
      let killed = false;
      if (input.proxy) {
        input.proxy.onKill = () => {
          killed = true;
          if (input.staleHeartbeatOnKill) details = beforeLatest;
          env.cancel();
        };
      }
      try {
        const result = (await env.run(fn)) as Totals;
        if (!killed) return result;
      } catch (err) {
        if (!killed && err instanceof ApplicationFailure && err.nonRetryable) {
          failed.push(`${name}: ${err.message}`);
          return emptyTotals();
        }
      } finally {
        // The next attempt runs on a live worker.
        input.proxy?.revive();
      }
    }
    failed.push(`${name}: gave up after ${MAX_ATTEMPTS} attempts`);
    return emptyTotals();
  }
  const add = (t: Totals) => (totals = mergeTotals(totals, t));

  for (const source of bulkSources()) {
    add(await execute(`copyBulkObjects ${source.name}`, () => activities.copyBulkObjects({ deployment, sourceName: source.name, idMapRef, ...write })));
  }
  const bulkCopiesVerified = totals.failureCount === 0;
  const segment = { segment: 0, totalSegments: 1 };

  if (idMapRef.changesAnyId) {
    add(await execute('migrateUserDataStorageSegment', () => activities.migrateUserDataStorageSegment({ deployment, idMapRef, ...segment, ...write })));
  }
  add(await execute('importOldUserStorageSegment', () => activities.importOldUserStorageSegment({ deployment, idMapRef, ...segment, ...write })));

  // Both passes do the per-user tables by one scan each, as the workflow does for tables of this
  // size (src/plan/userTablePlan.ts); the users do only their objects and conversions.
  const plannedByScan = tablesPlannedByScan(input.pairs.length, idMapRef.changesAnyId, () => 0);
  const pointersNotReady: string[] = [];
  for (const user of input.pairs) {
    const objects = await execute(`migrateUserObjects ${user.oldId}`, () => activities.migrateUserObjects({ deployment, user, idMapRef, ...write }));
    const converted = await execute(`convertUser ${user.oldId}`, () => activities.convertUser({ deployment, user, idMapRef, ...write }));
    const ready = pointersReady(bulkCopiesVerified, [objects, converted]);
    if (!ready) pointersNotReady.push(user.oldId);
    const ours = perUserTables(user).filter((table) => !plannedByScan.includes(table));
    const tables =
      ours.length === 0
        ? emptyTotals()
        : await execute(`rewriteUserTables ${user.oldId}`, () => activities.rewriteUserTables({ deployment, user, idMapRef, pointersReady: ready, tables: ours, ...write }));
    [objects, converted, tables].forEach(add);
  }
  for (const table of plannedByScan) {
    const users = { pointersReady: bulkCopiesVerified, pointersNotReady };
    add(
      await (input.dryRun
        ? execute(`planUserTableSegment ${table}`, () => activities.planUserTableSegment({ deployment, table, idMapRef, ...segment, onConflict: 'skip', ...users }))
        : execute(`rewriteUsersTableSegment ${table}`, () => activities.rewriteUsersTableSegment({ deployment, table, idMapRef, ...segment, ...write, ...users }))),
    );
  }

  for (const table of scannedTables(idMapRef.changesAnyId)) {
    add(await execute(`rewriteTableSegment ${table}`, () => activities.rewriteTableSegment({ deployment, table, idMapRef, ...segment, ...write })));
  }
  const references = { pointersReady: bulkCopiesVerified };
  for (const table of referenceTables(idMapRef.changesAnyId)) {
    add(await execute(`rewriteTableSegment ${table} references`, () => activities.rewriteTableSegment({ deployment, table, idMapRef, ...segment, ...write, references })));
  }
  return { totals, retries, failed };
}
