/**
 * One user's migration: S3 copies under the user's prefixes, conversions into
 * USER_DATA_STORAGE, then every per-user table rewrite (key or GSI queries). Pointers move
 * only when the user's copies are verified. The child always reports to its parent by
 * workflow id, even when a step failed, so the parent's sliding window never waits forever.
 */
import { getExternalWorkflowHandle, isCancellation, log, patched, workflowInfo } from '@temporalio/workflow';
import { perUserSources, perUserTables, pointersReady, USER_CONVERSIONS } from '../src/plan/steps';
import { addProblems, emptyTotals, mergeTotals, type Totals } from '../src/report/counters';
import { paging } from './activityProxies';
import { failureReason } from './failureReason';
import { userDoneSignal } from './messages';
import type { UserMigrationInput, UserMigrationOutcome, UserMigrationResult } from './types';

/** Table activities of one user in flight at once (the fine-grained path): bounded so one user cannot hog the workers. */
const TABLES_IN_PARALLEL = 6;
/** Patch id: three coarse activities per user and pass (objects, conversions, tables) instead of one per step. */
const COARSE_USER_GRAIN = 'coarse-user-grain';

function failureTotals(where: string, user: string, err: unknown): Totals {
  return addProblems(emptyTotals(), [{ kind: 'failure', where, user, reason: failureReason(err) }]);
}

async function settle(where: string, user: string, work: Promise<Totals>): Promise<Totals> {
  try {
    return await work;
  } catch (err) {
    // A cancelled migration stops here; it is not a failure of this step to work around.
    if (isCancellation(err)) throw err;
    return failureTotals(where, user, err);
  }
}

export async function userMigrationWorkflow(input: UserMigrationInput): Promise<UserMigrationOutcome> {
  const { user, idMapRef, options } = input;
  // Activities take the compact form too; the worker expands it (activities/wire.ts).
  const deployment = input.deployment;
  const write = { dryRun: options.dryRun, onConflict: options.onConflict };
  let totals = emptyTotals();

  if (patched(COARSE_USER_GRAIN)) {
    // Objects first: the pointers that name them move only after they are verified. Then the
    // conversions, which read the legacy rows by the old id before the rewrites move them.
    const objects = await settle('objects', user.oldId, paging.migrateUserObjects({ ...write, deployment, user, idMapRef }));
    const converted = await settle('conversions', user.oldId, paging.convertUser({ ...write, deployment, user, idMapRef }));
    const ready = pointersReady(input.bulkCopiesVerified, [objects, converted]);
    // The tables the parent does by one scan each (the plan's, and since run-user-tables-by-scan
    // the approved pass's) are left out, and our pointers' readiness reported to it.
    const scanned = input.tablesPlannedByScan;
    const ours = scanned && perUserTables(user).filter((table) => !scanned.includes(table));
    const tables =
      ours?.length === 0
        ? emptyTotals()
        : await settle('tables', user.oldId, paging.rewriteUserTables({ ...write, deployment, user, idMapRef, pointersReady: ready, ...(ours ? { tables: ours } : {}) }));
    totals = [objects, converted, tables].reduce(mergeTotals, totals);
    return report(input, totals, scanned ? ready : undefined);
  }

  // Runs started before the coarse grain: one activity per source, conversion and table.
  // 1. Objects first: the pointers that name them move only after they are verified.
  const copies = await Promise.all(
    perUserSources().map((source) =>
      settle(source.name, user.oldId, paging.copyUserObjects({ ...write, deployment, source: source.bucket, sourceName: source.name, user, idMapRef })),
    ),
  );
  for (const c of copies) totals = mergeTotals(totals, c);

  // 2. Conversions read the legacy rows by the old id, so they run before the rows move.
  const conversions: Totals[] = [];
  for (const conversion of USER_CONVERSIONS) {
    conversions.push(await settle(conversion, user.oldId, paging.convertUserData({ ...write, deployment, conversion, user, idMapRef })));
  }
  for (const c of conversions) totals = mergeTotals(totals, c);

  const ready = pointersReady(input.bulkCopiesVerified, [...copies, ...conversions]);

  // 3. Table rewrites, bounded parallelism, in the legacy order within each batch.
  const tables = perUserTables(user);
  for (let i = 0; i < tables.length; i += TABLES_IN_PARALLEL) {
    const batch = tables.slice(i, i + TABLES_IN_PARALLEL);
    const results = await Promise.all(
      batch.map((table) => settle(table, user.oldId, paging.rewriteUserTable({ ...write, deployment, table, user, idMapRef, pointersReady: ready }))),
    );
    for (const r of results) totals = mergeTotals(totals, r);
  }

  return report(input, totals);
}

/** The child always reports to its parent by workflow id, even when a step failed. */
async function report(input: UserMigrationInput, totals: Totals, pointersReady?: boolean): Promise<UserMigrationOutcome> {
  const { user } = input;
  const result: UserMigrationResult = {
    workflowId: workflowInfo().workflowId,
    pass: input.pass,
    user,
    status: totals.failureCount > 0 ? 'failed' : 'done',
    totals,
    ...(pointersReady === undefined ? {} : { pointersReady }),
  };
  try {
    await getExternalWorkflowHandle(input.parentWorkflowId).signal(userDoneSignal, result);
  } catch (err) {
    // The parent is gone (cancelled or terminated): the work is done, the report has no reader.
    log.warn('could not report to the parent migration', { parent: input.parentWorkflowId, error: String(err) });
  }
  return { workflowId: result.workflowId, pass: result.pass, status: result.status };
}
