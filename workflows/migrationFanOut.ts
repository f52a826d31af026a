/**
 * The two fan-out phases of a pass: one child workflow per user in a sliding window (the
 * batch-sliding-window sample's pattern: children outlive a continue-as-new of the parent
 * and report to it by signal), and one child per scanned table.
 */
import { condition, ParentClosePolicy, patched, setCurrentDetails, startChild } from '@temporalio/workflow';
import type { IdPair } from '../src/idmap/types';
import { referenceTables, scannedTables } from '../src/plan/steps';
import { tablesPlannedByScan } from '../src/plan/userTablePlan';
import { mergeTotals, type Totals } from '../src/report/counters';
import type { TableKey } from '../src/deployment/catalogue';
import { quick } from './activityProxies';
import type { MigrationStateManager } from './migrationState';
import { tableScanWorkflow } from './tableScan';
import type { TableScanInput } from './types';
import { userMigrationWorkflow } from './user';

/** Users whose pairs the workflow holds at once while filling the sliding window. */
const USER_PAGE_SIZE = 500;
/** Patch id: the references pass over per-user tables whose items of outsiders name migrated users. */
const OUTSIDER_REFERENCES = 'outsider-references';
/** Patch id: the plan pass plans per-user tables by one scan each (issue 9), not by a query per user. */
const PLAN_USER_TABLES_BY_SCAN = 'plan-user-tables-by-scan';
/** Patch id: the approved pass writes the tables its plan planned by scan by the same scans, after every user's copies and conversions. */
const RUN_USER_TABLES_BY_SCAN = 'run-user-tables-by-scan';
/**
 * Patch id: the parent continues as new only when none of its run's children is in flight.
 * A continue-as-new is refused (UnhandledCommand) when a child's report or completion arrives
 * while its task runs, and the retry replays the run's whole history without the sticky
 * cache: at 10,000 users each continue-as-new stalled the fan-out for 7 to 41 s, longer the
 * busier the worker. Once due, the window starts no child, drains, and continues quietly.
 */
const QUIET_CONTINUE_AS_NEW = 'quiet-continue-as-new';

/**
 * Which per-user tables the plan pass plans by one scan each: decided once, at the plan's
 * users phase, from preflight's item counts, and carried across continue-as-new.
 */
function decidePlanScan(m: MigrationStateManager): void {
  const { state } = m;
  if (state.pass !== 'plan' || state.planScan || !patched(PLAN_USER_TABLES_BY_SCAN)) return;
  const counts = new Map(state.preflight?.tables.map((t) => [t.key, t.itemCountEstimate]));
  const ref = m.idMapRef();
  state.planScan = { tables: tablesPlannedByScan(ref.count, ref.changesAnyId, (table) => counts.get(table)), pointersNotReady: [] };
}

/**
 * The approved pass does the plan's scanned tables by the same scans, with real writes: one
 * request then moves the items of many users, and no user pays a query per table. Decided
 * once, at approval (a run started before replays with none), and carried across
 * continue-as-new.
 */
export function decideRunScan(m: MigrationStateManager): void {
  const { state } = m;
  if (state.pass !== 'run' || state.runScan || !state.planScan?.tables.length) return;
  state.runScan = { tables: patched(RUN_USER_TABLES_BY_SCAN) ? state.planScan.tables : [], pointersNotReady: [] };
}

/** Every user of the map through its own child, at most `userConcurrency` at once; may continue as new between reports. */
export async function runUsers(m: MigrationStateManager): Promise<void> {
  const { state, options } = m;
  if (state.users.total === 0) state.users.total = m.idMapRef().count;
  decidePlanScan(m);
  const byScan = m.userTableScan();
  const scanned = byScan && byScan.tables.length > 0 ? byScan.tables : undefined;
  const quietContinueAsNew = patched(QUIET_CONTINUE_AS_NEW);
  let page: { offset: number; pairs: IdPair[] } | undefined;
  const pairAt = async (index: number): Promise<IdPair> => {
    if (!page || index < page.offset || index >= page.offset + page.pairs.length) {
      const offset = index - (index % USER_PAGE_SIZE);
      page = { offset, pairs: await quick.loadIdMapPage({ ref: m.idMapRef(), offset, limit: USER_PAGE_SIZE }) };
    }
    return page.pairs[index - page.offset];
  };
  const progress = () =>
    setCurrentDetails(
      `${state.pass === 'plan' ? 'plan (dry run)' : 'migrating'} users: ${state.users.done} done, ${state.users.failed} failed, ${state.users.inFlight.length} running, ${state.users.total - state.users.nextIndex} waiting`,
    );
  // A run starts one child at least before it drains: every run moves the fan-out on.
  const draining = () => quietContinueAsNew && m.childrenStartedThisRun() > 0 && m.continueAsNewDue();
  // Due and drained: every child of this run has reported; continue as new in the quiet.
  const continueIfDrained = async () => {
    if (draining() && state.users.inFlight.length === 0) await m.continueAsNewIfDue({ quiet: true });
  };
  const roomForAnother = () => !m.paused && !draining() && state.users.inFlight.length < options.userConcurrency && state.users.nextIndex < state.users.total;

  while (state.users.nextIndex < state.users.total || state.users.inFlight.length > 0) {
    await m.unpaused();
    while (roomForAnother()) {
      const index = state.users.nextIndex;
      const user = await pairAt(index);
      const childId = `${m.workflowId}/${state.pass}/u${index}`;
      const child = await startChild(userMigrationWorkflow, {
        workflowId: childId,
        args: [
          {
            runId: m.input.runId,
            parentWorkflowId: m.workflowId,
            pass: state.pass,
            index,
            user,
            deployment: m.wire,
            idMapRef: m.idMapRef(),
            bulkCopiesVerified: state.bulkCopiesVerified,
            options: m.writeOptions(),
            ...(scanned ? { tablesPlannedByScan: scanned } : {}),
          },
        ],
        // Children outlive a continue-as-new of the parent and report to it by workflow id.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: m.childSearchAttributes(),
        staticSummary: `${state.pass} ${user.oldId} → ${user.newId}`,
      });
      state.users.inFlight.push(childId);
      state.users.nextIndex += 1;
      if (quietContinueAsNew) m.childOfThisRun(child.result());
    }
    await continueIfDrained();
    progress();
    await condition(() => m.completions.length > 0 || roomForAnother());
    m.absorbCompletions();
    // Also while paused: a pause carries over to the next run.
    if (quietContinueAsNew) await continueIfDrained();
    else await m.continueAsNewIfDue();
  }
}

/**
 * The scanned tables (the whole map applied once per run), the per-user tables done by one
 * scan each (the plan's, and the approved pass's), then the references pass: items of users
 * outside the map that name migrated users (a sharer, an editor). After every user's part,
 * so every migrated user's own items are already under the new id and the pass touches only
 * the outsiders'. Runs started before the references pass replay without it.
 */
export async function runScans(m: MigrationStateManager): Promise<void> {
  const { state } = m;
  const scan = (kind: 'scan' | 'references' | 'plan-users' | 'run-users', table: TableKey, extra: Pick<TableScanInput, 'references' | 'planUsers' | 'runUsers'> = {}) =>
    startChild(tableScanWorkflow, {
      workflowId: `${m.workflowId}/${state.pass}/${kind}/${table}`,
      args: [
        {
          runId: m.input.runId,
          table,
          deployment: m.wire,
          idMapRef: m.idMapRef(),
          segments: m.scanSegments(table),
          options: m.writeOptions(),
          // Absent for a scanned table: its child's input (and so its history) stays as before.
          ...extra,
        },
      ],
      typedSearchAttributes: m.childSearchAttributes(),
      staticSummary: {
        scan: `${state.pass} scan ${table}`,
        references: `${state.pass} references in ${table}`,
        'plan-users': `plan of every user's items in ${table}`,
        'run-users': `every user's items in ${table}`,
      }[kind],
    }).then((handle) => handle.result());

  const changesAnyId = m.idMapRef().changesAnyId;
  // The approved pass's part of every user in the per-user tables its plan scanned: before the
  // references pass of the same tables, which rewrites only outsiders' items and so counts on
  // every migrated user's own items being under the new id already.
  const runScan = state.pass === 'run' ? state.runScan : undefined;
  const ran = (runScan?.tables ?? []).map((table) =>
    scan('run-users', table, { runUsers: { pointersReady: state.bulkCopiesVerified, pointersNotReady: runScan!.pointersNotReady } }),
  );
  const usersDone = Promise.all(ran);
  const scans = scannedTables(changesAnyId).map((table) => scan('scan', table));
  // Started at once when nothing runs before them, as the runs recorded so far did.
  const afterUsers = (start: () => Promise<Totals>) => (ran.length === 0 ? start() : usersDone.then(start));
  const references = patched(OUTSIDER_REFERENCES)
    ? referenceTables(changesAnyId).map((table) => afterUsers(() => scan('references', table, { references: { pointersReady: state.bulkCopiesVerified } })))
    : [];
  // The plan of the per-user tables the users' children left to one scan each.
  const planScan = state.pass === 'plan' ? state.planScan : undefined;
  const planned = (planScan?.tables ?? []).map((table) =>
    scan('plan-users', table, { planUsers: { pointersReady: state.bulkCopiesVerified, pointersNotReady: planScan!.pointersNotReady } }),
  );
  const results = await Promise.all([...ran, ...scans, ...references, ...planned]);
  for (const r of results) state.totals = mergeTotals(state.totals, r);
}
