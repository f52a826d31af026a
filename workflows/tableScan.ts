/**
 * One table read by N parallel scan segments: a scanned table (the whole id map once per
 * run), the references pass of a per-user table, or every user's part of a per-user table
 * (its plan, or its approved pass).
 */
import { addProblems, emptyTotals, mergeTotals, type Totals } from '../src/report/counters';
import { paging } from './activityProxies';
import { failureReason } from './failureReason';
import type { TableScanInput } from './types';

export async function tableScanWorkflow(input: TableScanInput): Promise<Totals> {
  const { deployment, table, idMapRef, segments: totalSegments, options, references, planUsers, runUsers } = input;
  const scanSegment = (segment: number) =>
    planUsers
      ? paging.planUserTableSegment({ deployment, table, idMapRef, segment, totalSegments, onConflict: options.onConflict, ...planUsers })
      : runUsers
      ? paging.rewriteUsersTableSegment({ deployment, table, idMapRef, segment, totalSegments, dryRun: options.dryRun, onConflict: options.onConflict, ...runUsers })
      : paging.rewriteTableSegment({
          deployment,
          table,
          idMapRef,
          segment,
          totalSegments,
          dryRun: options.dryRun,
          onConflict: options.onConflict,
          // Absent for a scanned table: its activity input (and so its history) stays as before.
          ...(references ? { references } : {}),
        });
  const segments = Array.from({ length: totalSegments }, (_, segment) =>
    scanSegment(segment).catch((err: unknown) => addProblems(emptyTotals(), [{ kind: 'failure', where: table, reason: failureReason(err) }])),
  );
  return (await Promise.all(segments)).reduce(mergeTotals, emptyTotals());
}
