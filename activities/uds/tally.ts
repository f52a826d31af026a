/**
 * A mutable accumulator for one activity's Totals: counters are bumped item by item, and
 * the immutable Totals (src/report/counters.ts) is built once at the end or for a heartbeat.
 */
import {
  addBucket,
  addProblems,
  addTable,
  emptyBucketCounters,
  emptyTableCounters,
  emptyTotals,
  mergeTotals,
  type BucketCounters,
  type Problem,
  type TableCounters,
  type Totals,
} from '../../src/report/counters';
import type { Item } from '../../src/dynamo/attributeValue';
import { describeKey, type Problem as UdsProblem } from '../../src/uds';
import type { PutOutcome } from './conditionalPut';

export class Tally {
  private readonly tables = new Map<string, TableCounters>();
  private readonly buckets = new Map<string, BucketCounters>();
  private readonly problems: Problem[] = [];

  /** @param base totals of the pages done before a resume */
  constructor(private readonly base: Totals = emptyTotals()) {}

  table(key: string): TableCounters {
    let counters = this.tables.get(key);
    if (!counters) this.tables.set(key, (counters = emptyTableCounters()));
    return counters;
  }

  bucket(key: string): BucketCounters {
    let counters = this.buckets.get(key);
    if (!counters) this.buckets.set(key, (counters = emptyBucketCounters()));
    return counters;
  }

  problem(problem: Problem): void {
    this.problems.push(problem);
  }

  totals(): Totals {
    let out = emptyTotals();
    for (const [key, counters] of this.tables) out = addTable(out, key, counters);
    for (const [key, counters] of this.buckets) out = addBucket(out, key, counters);
    out = addProblems(out, this.problems);
    return mergeTotals(this.base, out);
  }
}

/**
 * A problem of the pure conversions as a report Problem. Warnings (an oversized log written
 * in the service's S3-pointer form, a share dated 1970-01-01 for want of any date) are
 * reported as 'warning': converted data, not failures, so the exit code stays truthful.
 */
export function reportProblem(problem: UdsProblem, where: string, user?: string): Problem | undefined {
  const oversize = problem.code === 'item-too-large' || problem.code === 'item-too-large-s3-form';
  return {
    kind: problem.severity === 'warning' ? 'warning' : oversize ? 'oversize' : 'failure',
    where,
    ...(user !== undefined ? { user } : {}),
    source: problem.subject,
    reason: `${problem.code}: ${problem.message}`,
  };
}

/** Books the outcome of one conditionalPut under `tableKey`, with a problem where one is due. */
export function recordPut(tally: Tally, tableKey: string, outcome: PutOutcome, item: Item, user?: string, source?: string): void {
  const counters = tally.table(tableKey);
  const target = describeKey(item);
  const problem = (kind: Problem['kind'], reason: string) =>
    tally.problem({ kind, where: tableKey, ...(user !== undefined ? { user } : {}), ...(source !== undefined ? { source } : {}), target, reason });
  switch (outcome) {
    case 'written':
      counters.itemsWritten++;
      return;
    case 'unchanged':
      counters.itemsUnchanged++;
      return;
    case 'conflict':
      counters.conflicts++;
      return problem('conflict', 'the key already holds a different item (newer data kept, ours not written)');
    case 'overwritten':
      counters.itemsWritten++;
      counters.conflicts++;
      return problem('conflict', 'the key held a different item; replaced (onConflict overwrite)');
    case 'oversize':
      counters.failures++;
      return problem('oversize', 'item exceeds the 400 KB DynamoDB limit; not written');
    case 'conditionTooLong':
      counters.failures++;
      return problem('failure', 'the existing item has too many attributes for a conditional write; not written');
    case 'basisChanged':
    case 'stillChanging':
      counters.failures++;
      return problem('failure', 'the item kept changing under concurrent writes; left for a re-run');
  }
}
