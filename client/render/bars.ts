/**
 * `status`'s progress bars: one per quantity that has a size (users, table items, objects,
 * bytes), each with its rate and an ETA. Rates are averages since the phase (users) or the
 * pass (items, objects, bytes) began: counters reach the workflow in steps, as activities
 * and users finish, so an average is steadier than the last step's speed.
 */
import { progressCounts } from '../../workflows/statusProgress';
import type { MigrationStatus, Phase } from '../../workflows/types';

/** The phases in which a pass reads, copies and rewrites: where items, objects and bytes move. */
const WRITE_PHASES: readonly Phase[] = ['run-wide', 'user-data-storage', 'users', 'table-scans'];
const WIDTH = 30;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // Whole bytes: a rate (bytes per second) is rarely an integer.
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

/** Per second when at least one a second, else per minute (a slow rate still reads as a number). */
export function formatRate(perSecond: number, format: (n: number) => string = formatCount): string {
  if (perSecond >= 1) return `${format(perSecond)}/s`;
  return `${format(perSecond * 60)}/min`;
}

export interface Meter {
  label: string;
  done: number;
  total: number;
  /** The total is an estimate (shown with ~). */
  estimated?: boolean;
  /** When counting began (ms since the epoch); with `now`, gives the rate and the ETA. */
  since?: number;
  format?: (n: number) => string;
  /** Appended after the rate and ETA. */
  note?: string;
}

export function meterLine(m: Meter, now?: number | null): string {
  const format = m.format ?? formatCount;
  const ratio = m.total > 0 ? Math.min(1, m.done / m.total) : 0;
  const filled = Math.round(ratio * WIDTH);
  const parts = [
    `${m.label.padEnd(8)}[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`,
    `${format(m.done)}/${m.estimated ? '~' : ''}${format(m.total)}`,
    `${Math.floor(ratio * 100)}%`,
  ];
  const elapsedSeconds = m.since !== undefined && typeof now === 'number' ? (now - m.since) / 1000 : 0;
  if (elapsedSeconds > 0 && m.done > 0) {
    const rate = m.done / elapsedSeconds;
    parts.push(formatRate(rate, format));
    if (m.done < m.total) parts.push(`ETA ${formatDuration((m.total - m.done) / rate)}`);
  }
  if (m.note) parts.push(m.note);
  return parts.join('  ');
}

/**
 * The bar lines of a status: users always (its size is the id map); items, objects and bytes
 * while the pass copies and rewrites, when their size is known. `now` (ms) adds rates and
 * ETAs; without it the lines change only when the counters do.
 */
export function progressLines(s: MigrationStatus, now?: number | null): string[] {
  const p = s.progress ?? {};
  const lines = [
    meterLine(
      {
        label: 'users',
        done: s.users.done + s.users.failed,
        total: s.users.total,
        since: s.phase === 'users' ? p.phaseStartedAt : undefined,
        note: `failed ${s.users.failed}, running ${s.users.inFlight}`,
      },
      now,
    ),
  ];
  if (!WRITE_PHASES.includes(s.phase) || !p.expected) return lines;
  const done = progressCounts(s.totals);
  const { expected } = p;
  const since = p.passStartedAt;
  if (expected.items) lines.push(meterLine({ label: 'items', done: done.items, total: expected.items, estimated: expected.estimated, since }, now));
  if (expected.objects) lines.push(meterLine({ label: 'objects', done: done.objects, total: expected.objects, since }, now));
  if (expected.bytes) lines.push(meterLine({ label: 'bytes', done: done.bytes, total: expected.bytes, since, format: formatBytes }, now));
  return lines;
}
