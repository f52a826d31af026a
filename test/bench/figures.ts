/** The figures the issues ask for, computed from the migration report and the seeded description (pure). */
import { TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import { bulkSources, tablesTouched } from '../../src/plan/steps';
import type { TableCounters, Totals } from '../../src/report/counters';
import type { SampleDeployment } from '../../src/seed';
import type { MigrationReport, Phase } from '../../workflows/types';
import type { CopyRate } from './copyRate';
import type { LedgerCost } from '../../activities/ledger/s3Ledger';
import type { BenchResults } from './results';

export type SeededCounts = Partial<Record<TableKey, number>>;

export function seededItemCounts(sample: SampleDeployment): SeededCounts {
  const counts: SeededCounts = {};
  for (const { table } of [...sample.items, ...sample.oldUserStorageItems]) counts[table] = (counts[table] ?? 0) + 1;
  return counts;
}

const isTableKey = (name: string): name is TableKey => (TABLE_KEYS as readonly string[]).includes(name);

export interface TableAmplification {
  table: TableKey;
  itemsRead: number;
  itemsStored: number;
  /** Items read per item stored; null when the table held no items. */
  ratio: number | null;
}

export interface ReadAmplification {
  itemsRead: number;
  itemsStored: number;
  ratio: number;
  tables: TableAmplification[];
}

/** Items read ÷ items seeded, over the tables a pass reports reading. */
export function readAmplification(totals: Totals | undefined, seeded: SeededCounts): ReadAmplification | undefined {
  if (!totals) return undefined;
  const tables: TableAmplification[] = Object.entries(totals.tables)
    .filter(([name]) => isTableKey(name))
    .map(([name, counters]) => {
      const itemsStored = seeded[name as TableKey] ?? 0;
      return { table: name as TableKey, itemsRead: counters.itemsRead, itemsStored, ratio: itemsStored > 0 ? counters.itemsRead / itemsStored : null };
    })
    .sort((a, b) => b.itemsRead - a.itemsRead);
  const itemsRead = tables.reduce((n, t) => n + t.itemsRead, 0);
  const itemsStored = tables.reduce((n, t) => n + t.itemsStored, 0);
  return { itemsRead, itemsStored, ratio: itemsStored > 0 ? itemsRead / itemsStored : 0, tables };
}

/** The verification pass checks every table the run may change except user-data-storage. */
export function verificationAmplification(report: MigrationReport, seeded: SeededCounts): { itemsChecked: number; itemsStored: number; ratio: number } | undefined {
  if (!report.verification) return undefined;
  const tables = tablesTouched(true).filter((t) => t !== 'USER_DATA_STORAGE_TABLE');
  const itemsStored = tables.reduce((n, t) => n + (seeded[t] ?? 0), 0);
  const itemsChecked = report.verification.itemsChecked;
  return { itemsChecked, itemsStored, ratio: itemsStored > 0 ? itemsChecked / itemsStored : 0 };
}

export interface PhaseDuration {
  phase: Phase;
  pass: 'plan' | 'run' | '-';
  seconds: number;
}

/**
 * Durations of every phase, labelled with the pass: the write phases appear twice (the plan,
 * a dry run, before the approval gate; the real pass after it). Each pass begins with its
 * run-wide copies.
 */
export function phaseDurations(report: MigrationReport): PhaseDuration[] {
  let pass: PhaseDuration['pass'] = '-';
  const out: PhaseDuration[] = [];
  for (const timing of report.phaseTimings) {
    if (timing.phase === 'run-wide') pass = pass === '-' ? 'plan' : 'run';
    if (timing.phase === 'verify') pass = '-';
    const write = ['user-data-storage', 'run-wide', 'users', 'table-scans'].includes(timing.phase);
    out.push({ phase: timing.phase, pass: write ? pass : '-', seconds: ((timing.endedAt ?? timing.startedAt) - timing.startedAt) / 1000 });
  }
  return out;
}

export interface CopyFigures {
  objectsCopied: number;
  bytesCopied: number;
  objectsSkipped: number;
  /** The real pass's run-wide + users phases: where every copy happens. */
  copyPhaseSeconds: number;
  objectsPerSecond: number;
  bytesPerSecond: number;
  /** Over the whole real pass (user-data-storage through table scans). */
  realPassSeconds: number;
  objectsPerSecondWholePass: number;
  raw: CopyRate;
  /** The real pass's run-wide phase alone: whole-bucket copies, no table work competing. */
  runWide: { objectsCopied: number; seconds: number; objectsPerSecond: number; ratio: number };
  /** Migration rate ÷ raw CopyObject rate (objects per second). */
  ratio: number;
  ratioWholePass: number;
  buckets: { bucket: string; objectsListed: number; objectsCopied: number; objectsSkipped: number; bytesCopied: number; conflicts: number; failures: number }[];
}

export function copyFigures(report: MigrationReport, raw: CopyRate): CopyFigures {
  const buckets = Object.entries(report.totals.buckets).map(([bucket, c]) => ({ bucket, ...c }));
  const objectsCopied = buckets.reduce((n, b) => n + b.objectsCopied, 0);
  const bytesCopied = buckets.reduce((n, b) => n + b.bytesCopied, 0);
  const objectsSkipped = buckets.reduce((n, b) => n + b.objectsSkipped, 0);
  const real = phaseDurations(report).filter((p) => p.pass === 'run');
  const copyPhaseSeconds = real.filter((p) => p.phase === 'run-wide' || p.phase === 'users').reduce((n, p) => n + p.seconds, 0);
  const realPassSeconds = real.reduce((n, p) => n + p.seconds, 0);
  const per = (n: number, s: number) => (s > 0 ? n / s : 0);
  const objectsPerSecond = per(objectsCopied, copyPhaseSeconds);
  const objectsPerSecondWholePass = per(objectsCopied, realPassSeconds);
  // Bulk sources read their own legacy buckets; the consolidation bucket is also a per-user
  // (split-state) source, so it is left out of the run-wide count.
  const bulkBuckets = new Set<string>(bulkSources().map((s) => s.bucket).filter((b) => b !== 'S3_CONSOLIDATION_BUCKET_NAME'));
  const runWideObjects = buckets.filter((b) => bulkBuckets.has(b.bucket)).reduce((n, b) => n + b.objectsCopied, 0);
  const runWideSeconds = real.filter((p) => p.phase === 'run-wide').reduce((n, p) => n + p.seconds, 0);
  return {
    runWide: {
      objectsCopied: runWideObjects,
      seconds: runWideSeconds,
      objectsPerSecond: per(runWideObjects, runWideSeconds),
      ratio: per(per(runWideObjects, runWideSeconds), raw.objectsPerSecond),
    },
    objectsCopied,
    bytesCopied,
    objectsSkipped,
    copyPhaseSeconds,
    objectsPerSecond,
    bytesPerSecond: per(bytesCopied, copyPhaseSeconds),
    realPassSeconds,
    objectsPerSecondWholePass,
    raw,
    ratio: per(objectsPerSecond, raw.objectsPerSecond),
    ratioWholePass: per(objectsPerSecondWholePass, raw.objectsPerSecond),
    buckets,
  };
}

export interface TableCounterLine extends TableCounters {
  table: string;
}

export function tableCounterLines(totals: Totals): TableCounterLine[] {
  return Object.entries(totals.tables)
    .map(([table, c]) => ({ table, ...c }))
    .sort((a, b) => a.table.localeCompare(b.table));
}

/** The ledger's cost (issue 12) against the run's AWS requests (when counted) and the bytes it copied. */
export function ledgerFigures(cost: LedgerCost, requests: Record<string, number> | undefined, report: MigrationReport): BenchResults['ledger'] {
  const total = requests ? Object.values(requests).reduce((a, b) => a + b, 0) : undefined;
  const bytesCopied = Object.values(report.totals.buckets).reduce((n, b) => n + b.bytesCopied, 0);
  return {
    requests: cost.requests,
    bytes: cost.bytes,
    ...(total ? { requestShare: cost.requests / total } : {}),
    bytesCopied,
    ...(bytesCopied > 0 ? { byteShare: cost.bytes / bytesCopied } : {}),
  };
}
