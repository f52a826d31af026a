/** status's bars: sizes, rates and ETAs from the status query; in place on a TTY, lines when piped. */
import { formatBytes, formatDuration, formatRate, progressLines } from '../../../client/render/bars';
import { renderStatus } from '../../../client/render/progress';
import { changedLinesView, redrawView } from '../../../client/render/watch';
import { emptyBucketCounters, emptyTableCounters, emptyTotals, type Totals } from '../../../src/report/counters';
import { describePlan, tablesTouched } from '../../../src/plan/steps';
import { statusProgress } from '../../../workflows/statusProgress';
import type { MigrationState, MigrationStatus } from '../../../workflows/types';

const T0 = Date.UTC(2026, 10, 25, 16, 0, 0);
const seconds = (n: number) => T0 + n * 1000;

function totals(items: number, objects: number, bytes: number): Totals {
  return {
    ...emptyTotals(),
    tables: { SHARES_DYNAMODB_TABLE: { ...emptyTableCounters(), itemsRead: items } },
    buckets: { S3_CONSOLIDATION_BUCKET_NAME: { ...emptyBucketCounters(), objectsListed: objects, bytesCopied: bytes } },
  };
}

function status(overrides: Partial<MigrationStatus>): MigrationStatus {
  return {
    workflowId: 'migration-v6-dev',
    runId: 'r1',
    deployment: 'v6/dev',
    phase: 'users',
    pass: 'run',
    paused: false,
    dryRun: false,
    users: { total: 30, done: 9, failed: 1, nextIndex: 14, inFlight: 4, remaining: 20 },
    conflicts: 0,
    failures: 0,
    totals: totals(0, 0, 0),
    backups: 3,
    ...overrides,
  };
}

describe('status bars', () => {
  it('users: done of total, rate since the users phase began, ETA of the rest', () => {
    // 10 users in 20 s: 0.5/s = 30/min; 20 left: 40 s.
    const s = status({ progress: { phaseStartedAt: seconds(0), passStartedAt: seconds(-60) } });
    expect(progressLines(s, seconds(20))).toEqual([
      'users   [##########....................]  10/30  33%  30/min  ETA 40s  failed 1, running 4',
    ]);
  });

  it('the real pass: items, objects and bytes against the dry-run plan, rates since the pass began', () => {
    const s = status({
      totals: totals(5_000, 1_000, 512 * 1024 ** 2),
      progress: { phaseStartedAt: seconds(90), passStartedAt: seconds(0), expected: { items: 20_000, objects: 4_000, bytes: 2 * 1024 ** 3, estimated: false } },
    });
    expect(progressLines(s, seconds(100))).toEqual([
      'users   [##########....................]  10/30  33%  1/s  ETA 20s  failed 1, running 4',
      'items   [########......................]  5,000/20,000  25%  50/s  ETA 5m00s',
      'objects [########......................]  1,000/4,000  25%  10/s  ETA 5m00s',
      'bytes   [########......................]  512.0 MiB/2.0 GiB  25%  5.1 MiB/s  ETA 5m00s',
    ]);
  });

  it('the plan pass measures items against the estimate, marked ~; no objects or bytes size yet', () => {
    const s = status({ pass: 'plan', phase: 'table-scans', totals: totals(300, 40, 0), progress: { passStartedAt: seconds(0), expected: { items: 1_000, estimated: true } } });
    expect(progressLines(s, seconds(60)).slice(1)).toEqual(['items   [#########.....................]  300/~1,000  30%  5/s  ETA 2m20s']);
  });

  it('a bar that reached its size has no ETA; a count past an estimate stays at 100%', () => {
    const s = status({ pass: 'plan', phase: 'table-scans', totals: totals(1_200, 0, 0), progress: { passStartedAt: seconds(0), expected: { items: 1_000, estimated: true } } });
    expect(progressLines(s, seconds(60))[1]).toBe('items   [##############################]  1,200/~1,000  100%  20/s');
  });

  it('no size bars outside the copy and rewrite phases; no rates without a clock or before any progress', () => {
    const expected = { items: 100, objects: 10, bytes: 1_000, estimated: false };
    expect(progressLines(status({ phase: 'verify', progress: { expected } }), seconds(10))).toHaveLength(1);
    expect(progressLines(status({ phase: 'users', progress: { phaseStartedAt: seconds(0), expected } }), null)[0]).toBe(
      'users   [##########....................]  10/30  33%  failed 1, running 4',
    );
    const fresh = status({ users: { total: 30, done: 0, failed: 0, nextIndex: 0, inFlight: 0, remaining: 30 }, progress: { phaseStartedAt: seconds(0) } });
    expect(progressLines(fresh, seconds(10))[0]).toBe('users   [..............................]  0/30  0%  failed 0, running 0');
  });

  it('a status from a worker without progress still renders its users bar', () => {
    expect(renderStatus(status({ progress: undefined }), seconds(5))).toContain('users   [##########....................]  10/30  33%  failed 1, running 4');
  });

  it('formats sizes, durations and slow rates', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 4)]).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 TiB']);
    expect([formatDuration(59.4), formatDuration(61), formatDuration(3 * 3600 + 7 * 60), formatDuration(2 * 86_400 + 3600)]).toEqual(['59s', '1m01s', '3h07m', '2d01h']);
    expect([formatRate(2.4), formatRate(0.05)]).toEqual(['2/s', '3/min']);
    // A byte rate below 1 KiB/s is whole bytes, not 783.1489494132173 B/s.
    expect(formatRate(783.1489494132173, formatBytes)).toBe('783 B/s');
  });
});

describe('status --watch output', () => {
  it('piped: prints a block when the counters change, not when only the time does', () => {
    const printed: string[] = [];
    let now = seconds(10);
    const view = changedLinesView((t) => printed.push(t), () => now);
    const s = status({ progress: { phaseStartedAt: seconds(0) } });
    view(s);
    now = seconds(12);
    view(s);
    view(status({ users: { ...s.users, done: 10 }, progress: s.progress }));
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('10/30  33%  1/s  ETA 20s');
    expect(printed[1]).toContain('11/30  36%');
  });

  it('on a terminal: redraws the block in place, cutting lines to the terminal width', () => {
    const writes: string[] = [];
    const view = redrawView({ isTTY: true, columns: 41, write: (t: string) => writes.push(t) }, () => seconds(20));
    const s = status({ progress: { phaseStartedAt: seconds(0) } });
    view(s);
    view(s);
    const lines = writes[0].split('\n').slice(0, -1);
    expect(writes[0].startsWith('\x1b[')).toBe(false);
    expect(writes[1].startsWith(`\x1b[${lines.length}F\x1b[J`)).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });
});

describe('statusProgress (workflow side)', () => {
  const base: Pick<MigrationState, 'phaseTimings' | 'pass' | 'plan' | 'preflight' | 'idMapRef' | 'planScan'> = {
    pass: 'run',
    phaseTimings: [
      { phase: 'run-wide', startedAt: seconds(0), endedAt: seconds(10) },
      { phase: 'approval-gate', startedAt: seconds(50), endedAt: seconds(60) },
      { phase: 'run-wide', startedAt: seconds(60), endedAt: seconds(70) },
      { phase: 'users', startedAt: seconds(70) },
    ],
    plan: totals(20_000, 4_000, 1_000_000),
    idMapRef: { bucket: 'b', key: 'k', sha256: 's', count: 30, changesAnyId: true },
  };

  it('the real pass: sizes from the plan; the pass began at its own run-wide phase', () => {
    expect(statusProgress(base)).toEqual({
      phaseStartedAt: seconds(70),
      passStartedAt: seconds(60),
      expected: { items: 20_000, objects: 4_000, bytes: 1_000_000, estimated: false },
    });
  });

  it('the real pass: a table the plan read by one whole scan counts the items planned for the users, not every item scanned', () => {
    const plan = totals(20_000, 4_000, 1_000_000);
    plan.tables.FILES_DYNAMO_TABLE = { ...emptyTableCounters(), itemsRead: 9_000, itemsWritten: 300, itemsMoved: 100, itemsUnchanged: 40, conflicts: 2, failures: 1 };
    const progress = statusProgress({ ...base, plan, planScan: { tables: ['FILES_DYNAMO_TABLE'], pointersNotReady: [] } });
    expect(progress.expected).toEqual({ items: 20_000 + 300 + 40 + 2 + 1, objects: 4_000, bytes: 1_000_000, estimated: false });
    // Without the plan scan (runs started before it), every item the plan read.
    expect(statusProgress({ ...base, plan }).expected?.items).toBe(29_000);
  });

  it('the plan pass: the preflight estimate of the tables the run touches', () => {
    const [touched] = tablesTouched(true);
    const untouched = describePlan().notMigrated[0].table;
    const preflight = {
      tables: [
        { key: touched, name: 'a', exists: true, itemCountEstimate: 700 },
        { key: untouched, name: 'never-migrated', exists: true, itemCountEstimate: 9_999 },
      ],
    } as unknown as MigrationState['preflight'];
    const progress = statusProgress({ ...base, pass: 'plan', plan: undefined, preflight });
    expect(progress.expected).toEqual({ items: 700, estimated: true });
  });
});
