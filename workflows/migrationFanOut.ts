/**
 * The two fan-out phases of a pass: one child workflow per user in a sliding window (the
 * batch-sliding-window sample's pattern: children outlive a continue-as-new of the parent
 * and report to it by signal), and one child per scanned table.
 */
import { condition, ParentClosePolicy, patched, setCurrentDetails, startChild } from '@temporalio/workflow';
import type { IdPair } from '../src/idmap/types';
import { referenceTables, scannedTables } from '../src/plan/steps';
import { mergeTotals } from '../src/report/counters';
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

/** Every user of the map through its own child, at most `userConcurrency` at once; may continue as new between reports. */
export async function runUsers(m: MigrationStateManager): Promise<void> {
  const { state, options } = m;
  if (state.users.total === 0) state.users.total = m.idMapRef().count;
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
  const roomForAnother = () => !m.paused && state.users.inFlight.length < options.userConcurrency && state.users.nextIndex < state.users.total;

  while (state.users.nextIndex < state.users.total || state.users.inFlight.length > 0) {
    await m.unpaused();
    while (roomForAnother()) {
      const index = state.users.nextIndex;
      const user = await pairAt(index);
      const childId = `${m.workflowId}/${state.pass}/u${index}`;
      await startChild(userMigrationWorkflow, {
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
          },
        ],
        // Children outlive a continue-as-new of the parent and report to it by workflow id.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: m.childSearchAttributes(),
        staticSummary: `${state.pass} ${user.oldId} → ${user.newId}`,
      });
      state.users.inFlight.push(childId);
      state.users.nextIndex += 1;
    }
    progress();
    await condition(() => m.completions.length > 0 || roomForAnother());
    m.absorbCompletions();
    await m.continueAsNewIfDue();
  }
}

/**
 * The scanned tables (the whole map applied once per run), then the references pass: items
 * of users outside the map that name migrated users (a sharer, an editor). After the
 * per-user phase, so every migrated user's own items are already under the new id and the
 * pass touches only the outsiders'. Runs started before the references pass replay without it.
 */
export async function runScans(m: MigrationStateManager): Promise<void> {
  const { state } = m;
  const scan = (kind: 'scan' | 'references', table: TableKey, references?: TableScanInput['references']) =>
    startChild(tableScanWorkflow, {
      workflowId: `${m.workflowId}/${state.pass}/${kind}/${table}`,
      args: [
        {
          runId: m.input.runId,
          table,
          deployment: m.wire,
          idMapRef: m.idMapRef(),
          segments: m.options.scanSegments,
          options: m.writeOptions(),
          // Absent for a scanned table: its child's input (and so its history) stays as before.
          ...(references ? { references } : {}),
        },
      ],
      typedSearchAttributes: m.childSearchAttributes(),
      staticSummary: kind === 'scan' ? `${state.pass} scan ${table}` : `${state.pass} references in ${table}`,
    }).then((handle) => handle.result());

  const changesAnyId = m.idMapRef().changesAnyId;
  const scans = scannedTables(changesAnyId).map((table) => scan('scan', table));
  const references = patched(OUTSIDER_REFERENCES)
    ? referenceTables(changesAnyId).map((table) => scan('references', table, { pointersReady: state.bulkCopiesVerified }))
    : [];
  const results = await Promise.all([...scans, ...references]);
  for (const r of results) state.totals = mergeTotals(state.totals, r);
}
