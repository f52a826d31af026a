/**
 * The sizes and start times behind `status`'s bars, derived from the migration's state.
 * Pure and deterministic (workflow code): it reads the state, never the clock.
 */
import { tablesTouched } from '../src/plan/steps';
import type { Totals } from '../src/report/counters';
import type { MigrationState, Phase, StatusProgress } from './types';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Items read, objects examined and bytes copied: the quantities the bars measure. For a table
 * the plan read by one whole scan and the real pass by a query per user (`wholeScans`), the
 * items are those it planned for the users (each written, unchanged, a conflict or a failure),
 * not every item it scanned: the real pass reads only those, so they are what its bar runs up to.
 */
export function progressCounts(totals: Totals, wholeScans: ReadonlySet<string> = new Set()): { items: number; objects: number; bytes: number } {
  const items = Object.entries(totals.tables).map(([table, t]) =>
    wholeScans.has(table) ? t.itemsWritten + t.itemsUnchanged + t.conflicts + t.failures : t.itemsRead,
  );
  return {
    items: sum(items),
    objects: sum(Object.values(totals.buckets).map((b) => b.objectsListed)),
    bytes: sum(Object.values(totals.buckets).map((b) => b.bytesCopied)),
  };
}

/** The latest entry of a phase in the timings (a pass enters run-wide once; the plan pass and the run pass each once). */
function lastStart(state: Pick<MigrationState, 'phaseTimings'>, phase: Phase): number | undefined {
  for (let i = state.phaseTimings.length - 1; i >= 0; i--) if (state.phaseTimings[i].phase === phase) return state.phaseTimings[i].startedAt;
  return undefined;
}

export function statusProgress(state: Pick<MigrationState, 'phaseTimings' | 'pass' | 'plan' | 'preflight' | 'idMapRef' | 'planScan' | 'runScan'>): StatusProgress {
  const current = state.phaseTimings[state.phaseTimings.length - 1];
  const progress: StatusProgress = {
    phaseStartedAt: current?.startedAt,
    passStartedAt: lastStart(state, 'run-wide'),
  };
  if (state.pass === 'run' && state.plan) {
    // The real pass reads and copies what its dry run found; a table it scans too, all of it.
    const queriedPerUser = state.planScan?.tables.filter((table) => !state.runScan?.tables.includes(table));
    progress.expected = { ...progressCounts(state.plan, new Set(queriedPerUser)), estimated: false };
  } else if (state.preflight && state.idMapRef) {
    // Before the plan exists, DynamoDB's item counts (refreshed about every six hours) are the best size there is.
    const touched = new Set(tablesTouched(state.idMapRef.changesAnyId));
    const estimates = state.preflight.tables.filter((t) => t.exists && touched.has(t.key)).map((t) => t.itemCountEstimate ?? 0);
    if (estimates.length) progress.expected = { items: sum(estimates), estimated: true };
  }
  return progress;
}
