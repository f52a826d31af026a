/**
 * Counters every activity reports and the workflows add up. Kept small on purpose: they
 * travel in Temporal payloads and live in the parent's state across continue-as-new.
 */

export interface TableCounters {
  itemsRead: number;
  itemsWritten: number;
  itemsMoved: number;
  itemsUnchanged: number;
  conflicts: number;
  retries: number;
  failures: number;
}

export interface BucketCounters {
  objectsListed: number;
  objectsCopied: number;
  objectsSkipped: number;
  bytesCopied: number;
  conflicts: number;
  failures: number;
  /**
   * Of failures, sources archived in GLACIER / DEEP_ARCHIVE and not restored (S3 cannot copy
   * them until someone restores them). Optional so existing counters and histories stay valid.
   */
  objectsArchived?: number;
}

export interface Problem {
  /**
   * 'conflict' keeps both items/objects untouched; 'failure' means the step did not finish;
   * 'oversize' an item over 400 KB was not written; 'warning' something worth knowing that
   * needs no action (an oversized log written in the service's S3-pointer form).
   */
  kind: 'conflict' | 'failure' | 'oversize' | 'warning';
  /** Table or bucket config key, or a phase name. */
  where: string;
  user?: string;
  source?: string;
  target?: string;
  reason: string;
}

/** Lists of problems are capped so payloads stay bounded; the counts stay exact. */
export const MAX_LISTED_PROBLEMS = 200;

export interface Totals {
  tables: Record<string, TableCounters>;
  buckets: Record<string, BucketCounters>;
  problems: Problem[];
  problemCount: number;
  conflictCount: number;
  failureCount: number;
}

export const emptyTableCounters = (): TableCounters => ({
  itemsRead: 0,
  itemsWritten: 0,
  itemsMoved: 0,
  itemsUnchanged: 0,
  conflicts: 0,
  retries: 0,
  failures: 0,
});

export const emptyBucketCounters = (): BucketCounters => ({
  objectsListed: 0,
  objectsCopied: 0,
  objectsSkipped: 0,
  bytesCopied: 0,
  conflicts: 0,
  failures: 0,
});

export const emptyTotals = (): Totals => ({ tables: {}, buckets: {}, problems: [], problemCount: 0, conflictCount: 0, failureCount: 0 });

function addNumbers<T extends object>(into: T, from: T): T {
  const out = { ...into } as Record<string, number>;
  for (const [k, v] of Object.entries(from)) out[k] = (out[k] ?? 0) + (v as number);
  return out as T;
}

export function addTable(totals: Totals, table: string, counters: TableCounters): Totals {
  return { ...totals, tables: { ...totals.tables, [table]: addNumbers(totals.tables[table] ?? emptyTableCounters(), counters) } };
}

export function addBucket(totals: Totals, bucket: string, counters: BucketCounters): Totals {
  return { ...totals, buckets: { ...totals.buckets, [bucket]: addNumbers(totals.buckets[bucket] ?? emptyBucketCounters(), counters) } };
}

export function addProblems(totals: Totals, problems: readonly Problem[], extraUnlisted = 0): Totals {
  const room = Math.max(0, MAX_LISTED_PROBLEMS - totals.problems.length);
  return {
    ...totals,
    problems: [...totals.problems, ...problems.slice(0, room)],
    problemCount: totals.problemCount + problems.length + extraUnlisted,
    conflictCount: totals.conflictCount + problems.filter((p) => p.kind === 'conflict').length,
    failureCount: totals.failureCount + problems.filter((p) => p.kind === 'failure' || p.kind === 'oversize').length,
  };
}

export function mergeTotals(a: Totals, b: Totals): Totals {
  let out = a;
  for (const [k, v] of Object.entries(b.tables)) out = addTable(out, k, v);
  for (const [k, v] of Object.entries(b.buckets)) out = addBucket(out, k, v);
  out = addProblems(out, b.problems, b.problemCount - b.problems.length);
  // addProblems counted kinds of the listed ones only; take the exact counts from b.
  return {
    ...out,
    conflictCount: a.conflictCount + b.conflictCount,
    failureCount: a.failureCount + b.failureCount,
  };
}

export function totalWrites(totals: Totals): number {
  return (
    Object.values(totals.tables).reduce((n, t) => n + t.itemsWritten, 0) +
    Object.values(totals.buckets).reduce((n, b) => n + b.objectsCopied, 0)
  );
}
