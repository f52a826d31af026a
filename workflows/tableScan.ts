/** One scanned table: N parallel scan segments, each applying the whole id map once per run. */
import { addProblems, emptyTotals, mergeTotals, type Totals } from '../src/report/counters';
import { paging } from './activityProxies';
import { failureReason } from './failureReason';
import type { TableScanInput } from './types';

export async function tableScanWorkflow(input: TableScanInput): Promise<Totals> {
  const segments = Array.from({ length: input.segments }, (_, segment) =>
    paging
      .rewriteTableSegment({
        deployment: input.deployment,
        table: input.table,
        idMapRef: input.idMapRef,
        segment,
        totalSegments: input.segments,
        dryRun: input.options.dryRun,
        onConflict: input.options.onConflict,
        // Absent for a scanned table: its activity input (and so its history) stays as before.
        ...(input.references ? { references: input.references } : {}),
      })
      .catch((err: unknown) => addProblems(emptyTotals(), [{ kind: 'failure', where: input.table, reason: failureReason(err) }])),
  );
  return (await Promise.all(segments)).reduce(mergeTotals, emptyTotals());
}
