/**
 * The bench's target lines for a 10,000-user run: the linear-growth ratio against the
 * 1,000-user run on record, and beside it the machine check that tells a slower machine
 * from slower code (both runs' raw CopyObject rates).
 */
import type { BenchResults } from '../../bench/results';
import { targetLines, type BenchHistory } from '../../bench/targets';

/** Only the fields targetLines reads; the rest of a BenchResults plays no part here. */
function run(users: number, wallSeconds: number, rawObjectsPerSecond: number): BenchResults {
  const partial = {
    measuredAt: '2026-12-03T08:00:00.000Z',
    dynamodb: 'dynoxide',
    config: { users, latency: false },
    seed: { items: 94 * users },
    issue3: { plan: { itemsRead: 94 * users }, run: { itemsRead: 124 * users }, verification: { itemsChecked: 105 * users } },
    issue4: { objectsCopied: 19 * users, raw: { objectsPerSecond: rawObjectsPerSecond } },
    issue6: { migrationSeconds: wallSeconds, peakRssBytes: 500 * 2 ** 20, parentLargestRunEvents: 4_300, userChildEventsPerUser: 48 },
    phases: [
      { phase: 'users', pass: 'plan', seconds: 100 },
      { phase: 'users', pass: 'run', seconds: 300 },
    ],
  };
  return partial as unknown as BenchResults;
}

const line = (lines: ReturnType<typeof targetLines>, start: string) => lines.find((l) => l.target.startsWith(start));

describe('bench targets at 10,000 users', () => {
  it('divides by the 1,000-user run on record and sets the two runs\u2019 raw copy rates side by side', () => {
    const history: BenchHistory = { 'dynoxide-1000u': run(1_000, 400, 300) };
    const lines = targetLines(run(10_000, 4_400, 240), history);
    expect(line(lines, 'wall ≤ 12 ×')).toEqual({
      target: 'wall ≤ 12 × the wall at 1,000 users (linear growth)',
      figure: '11 × (4,400 s / 400 s, the latter from 2026-12-03T08:00:00.000Z)',
      met: true,
    });
    expect(line(lines, 'machine check')).toEqual({
      target: 'machine check: raw CopyObject rate, this run ÷ that run',
      figure: '0.8 × (240 / 300 objects/s)',
    });
  });

  it('says nothing of the machine when the run on record has no raw rate', () => {
    const { issue4: _raw, ...withoutRate } = run(1_000, 400, 300);
    const lines = targetLines(run(10_000, 4_400, 240), { 'dynoxide-1000u': withoutRate });
    expect(line(lines, 'wall ≤ 12 ×')?.met).toBe(true);
    expect(line(lines, 'machine check')).toBeUndefined();
  });

  it('has no growth or machine line below 10,000 users', () => {
    const lines = targetLines(run(1_000, 400, 300), {});
    expect(line(lines, 'wall ≤ 12 ×')).toBeUndefined();
    expect(line(lines, 'machine check')).toBeUndefined();
  });
});
