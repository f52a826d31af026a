/** The counters every activity reports and the workflows add up: exact counts, bounded lists. */
import { addBucket, addProblems, addTable, emptyBucketCounters, emptyTableCounters, emptyTotals, MAX_LISTED_PROBLEMS, mergeTotals, totalWrites, type Problem } from '../../../src/report/counters';

const failure = (n: number): Problem => ({ kind: 'failure', where: 'T', reason: `r${n}` });

describe('counters', () => {
  it('adds table and bucket counters by key', () => {
    let totals = addTable(emptyTotals(), 'T', { ...emptyTableCounters(), itemsRead: 2, itemsWritten: 1 });
    totals = addTable(totals, 'T', { ...emptyTableCounters(), itemsRead: 3 });
    totals = addBucket(totals, 'B', { ...emptyBucketCounters(), objectsCopied: 4 });
    expect(totals.tables.T).toMatchObject({ itemsRead: 5, itemsWritten: 1 });
    expect(totalWrites(totals)).toBe(5);
  });

  it('counts problems by kind; an oversize item is a failure', () => {
    const totals = addProblems(emptyTotals(), [failure(1), { kind: 'oversize', where: 'T', reason: 'big' }, { kind: 'conflict', where: 'T', reason: 'c' }, { kind: 'warning', where: 'T', reason: 'w' }]);
    expect(totals).toMatchObject({ problemCount: 4, failureCount: 2, conflictCount: 1 });
  });

  it('lists at most MAX_LISTED_PROBLEMS problems and keeps the counts exact', () => {
    const many = Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, (_, i) => failure(i));
    const totals = addProblems(emptyTotals(), many);
    expect(totals.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(totals).toMatchObject({ problemCount: MAX_LISTED_PROBLEMS + 5, failureCount: MAX_LISTED_PROBLEMS + 5 });
  });

  it('merges exact counts even when the other side listed only some of its problems', () => {
    const full = addProblems(emptyTotals(), Array.from({ length: MAX_LISTED_PROBLEMS }, (_, i) => failure(i)));
    const other = addProblems(emptyTotals(), Array.from({ length: MAX_LISTED_PROBLEMS + 10 }, (_, i) => failure(i)));
    const merged = mergeTotals(full, other);
    expect(merged.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(merged).toMatchObject({ problemCount: 2 * MAX_LISTED_PROBLEMS + 10, failureCount: 2 * MAX_LISTED_PROBLEMS + 10 });
  });

  it('merging with empty totals changes nothing', () => {
    const totals = addProblems(addTable(emptyTotals(), 'T', { ...emptyTableCounters(), itemsRead: 1 }), [failure(1)]);
    expect(mergeTotals(totals, emptyTotals())).toEqual(totals);
    expect(mergeTotals(emptyTotals(), totals)).toEqual(totals);
  });
});
