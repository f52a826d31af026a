/** Adapters from each engine's own counters to the Totals the workflows add up. */
import { addBucket, addProblems, addTable, emptyTotals, type Problem, type Totals } from '../../src/report/counters';
import type { RewriteCounters } from '../dynamo/rewrite';
import type { CopyTotals } from '../s3/batch';

export function fromRewriteCounters(table: string, c: RewriteCounters, user?: string): Totals {
  const problems: Problem[] = c.conflicts.map((conflict) => ({
    kind: conflict.reason === 'itemTooLarge' ? 'oversize' : 'conflict',
    where: table,
    user,
    source: JSON.stringify(conflict.oldKey),
    target: JSON.stringify(conflict.newKey),
    reason: conflict.reason,
  }));
  const totals = addTable(emptyTotals(), table, {
    itemsRead: c.itemsRead,
    itemsWritten: c.itemsWritten,
    itemsMoved: c.itemsMoved,
    itemsUnchanged: c.itemsUnchanged,
    conflicts: c.conflictCount,
    retries: c.retries,
    failures: 0,
  });
  const withProblems = addProblems(totals, problems, c.conflictCount - c.conflicts.length);
  // The engine counts oversize items among its conflicts; here they are failures (not
  // written). Conflicts beyond the engine's listing cap are ordinary conflicts.
  const oversize = problems.filter((p) => p.kind === 'oversize').length;
  return { ...withProblems, conflictCount: c.conflictCount - oversize, failureCount: oversize };
}

export function fromCopyTotals(bucket: string, c: CopyTotals, user?: string): Totals {
  const totals = addBucket(emptyTotals(), bucket, {
    objectsListed: c.objectsListed,
    objectsCopied: c.objectsCopied,
    objectsSkipped: c.objectsSkipped,
    bytesCopied: c.bytesCopied,
    conflicts: c.conflictCount,
    failures: c.failureCount,
    // Only when there are any, so the counters of every ordinary bucket keep their shape.
    ...(c.objectsArchived > 0 ? { objectsArchived: c.objectsArchived } : {}),
  });
  const problems: Problem[] = [
    ...c.conflicts.map((i) => ({ kind: 'conflict' as const, where: bucket, user, source: i.source, target: i.destination, reason: i.reason })),
    ...c.failures.map((i) => ({ kind: 'failure' as const, where: bucket, user, source: i.source, target: i.destination, reason: i.reason })),
  ];
  const out = addProblems(totals, problems, c.conflictCount + c.failureCount - problems.length);
  return { ...out, conflictCount: c.conflictCount, failureCount: c.failureCount };
}
