/** The harness's judge of a run's counts against the plan's (pure). */
import { countDifferences, type WriteCounts } from './singleFault';

const row = (written: number, moved = 0, conflicts = 0, failures = 0) => ({ written, moved, conflicts, failures });

describe('countDifferences', () => {
  const plan: WriteCounts = {
    SHARES_DYNAMODB_TABLE: row(2, 2),
    "SHARES_DYNAMODB_TABLE (outsiders' references)": row(1),
    S3_SHARE_BUCKET_NAME: row(3),
  };

  it('equal counts: no difference', () => {
    expect(countDifferences(plan, plan)).toEqual([]);
  });

  it('fewer writes are a difference (a table row or its references-pass row): a killed attempt\'s writes are counted by its retry', () => {
    const run: WriteCounts = { SHARES_DYNAMODB_TABLE: row(1, 1), S3_SHARE_BUCKET_NAME: row(3) };
    expect(countDifferences(plan, run)).toEqual([
      'SHARES_DYNAMODB_TABLE: plan says written 2 moved 2 conflicts 0 failures 0, the run says written 1 moved 1 conflicts 0 failures 0',
      "SHARES_DYNAMODB_TABLE (outsiders' references): plan says written 1 moved 0 conflicts 0 failures 0, the run says nothing",
    ]);
  });

  it('more writes, fewer copies, or other conflicts are differences', () => {
    const run: WriteCounts = { ...plan, SHARES_DYNAMODB_TABLE: row(3, 2), S3_SHARE_BUCKET_NAME: row(2, 0, 1) };
    expect(countDifferences(plan, run)).toEqual([
      'SHARES_DYNAMODB_TABLE: plan says written 2 moved 2 conflicts 0 failures 0, the run says written 3 moved 2 conflicts 0 failures 0',
      'S3_SHARE_BUCKET_NAME: plan says written 3 moved 0 conflicts 0 failures 0, the run says written 2 moved 0 conflicts 1 failures 0',
    ]);
  });
});
