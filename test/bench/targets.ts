/**
 * Issue 9's targets, each beside the figure it is measured against (pure). Figures from
 * other runs (the no-latency twin of a latency run, the 1,000-user run a 10,000-user run
 * scales from) come from .stack/bench-history/ and are named as such with their date.
 */
import type { BenchResults } from './results';

export interface TargetLine {
  target: string;
  figure: string;
  /** undefined: not applicable to this run's size or emulator. */
  met?: boolean;
}

/** The results of earlier runs the targets compare against, by history key (see historyKey). */
export type BenchHistory = Record<string, (Pick<BenchResults, 'measuredAt' | 'issue6'> & { issue4?: Pick<BenchResults['issue4'], 'raw'> }) | undefined>;

export const LATENCY_PROFILE = { dynamodb: 5, s3: 20, ssm: 5, other: 5 } as const;

/** One file per emulator, size and latency: `dynoxide-1000u`, `dynoxide-1000u-latency`. */
export function historyKey(r: Pick<BenchResults, 'dynamodb' | 'config'>, overrides: { users?: number; latency?: boolean } = {}): string {
  const users = overrides.users ?? r.config.users;
  const latency = overrides.latency ?? r.config.latency;
  return `${r.dynamodb}-${users}u${latency ? '-latency' : ''}`;
}

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

export function targetLines(r: BenchResults, history: BenchHistory): TargetLine[] {
  const lines: TargetLine[] = [];
  const users = r.config.users;
  const wall = r.issue6.migrationSeconds;

  if (r.requests) {
    const perUser = r.requests.perUser;
    lines.push({ target: 'AWS requests per user, whole run ≤ 120', figure: fmt(perUser, 1), met: perUser <= 120 });
    const heads = r.requests.byOperation['s3 HeadObject'] ?? 0;
    const copied = r.issue4.objectsCopied;
    const perCopy = copied > 0 ? heads / copied : 0;
    lines.push({ target: 'HeadObject per copied object ≤ 1', figure: `${fmt(perCopy, 2)} (${fmt(heads)} / ${fmt(copied)})`, met: perCopy <= 1 });
    const listings = r.requests.byOperation['s3 ListObjects'] ?? 0;
    lines.push({ target: 'listings (ListObjects) per user', figure: fmt(listings / users, 2) });
  }

  const stored = r.seed.items;
  const read = (r.issue3.plan?.itemsRead ?? 0) + (r.issue3.run?.itemsRead ?? 0) + (r.issue3.verification?.itemsChecked ?? 0);
  const readRatio = stored > 0 ? read / stored : 0;
  lines.push({ target: 'items read per stored item, plan + migrate + verify ≤ 2.0', figure: `${fmt(readRatio, 3)} (${fmt(read)} / ${fmt(stored)})`, met: readRatio <= 2.0 });

  const planSeconds = r.phases.filter((p) => p.pass === 'plan').reduce((n, p) => n + p.seconds, 0);
  const runSeconds = r.phases.filter((p) => p.pass === 'run').reduce((n, p) => n + p.seconds, 0);
  const planShare = runSeconds > 0 ? planSeconds / runSeconds : 0;
  lines.push({ target: 'plan pass ≤ 25% of the migrate pass', figure: `${fmt(100 * planShare, 1)}% (${fmt(planSeconds, 1)} s / ${fmt(runSeconds, 1)} s)`, met: planShare <= 0.25 });

  const moto200 = users === 200 && r.dynamodb === 'moto' && !r.config.latency;
  lines.push({ target: '200 users on moto, whole run ≤ 120 s (legacy 473 s)', figure: `${fmt(wall, 1)} s at ${users} users on ${r.dynamodb}`, met: moto200 ? wall <= 120 : undefined });

  const dynoxide1000 = users >= 1000 && r.dynamodb === 'dynoxide';
  lines.push({
    target: 'floor ÷ actual ≥ 0.5 (1,000+ users on dynoxide)',
    figure: r.floor ? fmt(r.floor.ratio, 3) : 'not measured (--no-floor)',
    met: dynoxide1000 && r.floor ? r.floor.ratio >= 0.5 : undefined,
  });

  if (r.config.latency) {
    const twin = history[historyKey(r, { latency: false })];
    const factor = twin ? wall / twin.issue6.migrationSeconds : undefined;
    lines.push({
      target: 'wall with in-region latency ≤ 1.5 × without',
      figure: twin && factor !== undefined ? `${fmt(factor, 2)} × (${fmt(wall, 1)} s / ${fmt(twin.issue6.migrationSeconds, 1)} s, the latter from ${twin.measuredAt})` : 'no run without latency at this size on record: run it without --latency first',
      met: factor === undefined ? undefined : factor <= 1.5,
    });
  }

  if (users >= 10_000) {
    const base = history[historyKey(r, { users: users / 10 })];
    const factor = base ? wall / base.issue6.migrationSeconds : undefined;
    lines.push({
      target: `wall ≤ 12 × the wall at ${fmt(users / 10)} users (linear growth)`,
      figure: base && factor !== undefined ? `${fmt(factor, 2)} × (${fmt(wall, 1)} s / ${fmt(base.issue6.migrationSeconds, 1)} s, the latter from ${base.measuredAt})` : `no ${fmt(users / 10)}-user run on record`,
      met: factor === undefined ? undefined : factor <= 12,
    });
    const machine = base && machineCheck(r, base);
    if (machine) lines.push(machine);
  }
  const rss = r.issue6.peakRssBytes;
  lines.push({ target: 'peak worker RSS < 1 GiB', figure: `${fmt(rss / 2 ** 20, 0)} MiB`, met: rss < 2 ** 30 });
  const parentEvents = r.issue6.parentLargestRunEvents;
  lines.push({ target: 'events per parent run < 10,000', figure: fmt(parentEvents), met: parentEvents < 10_000 });
  const childEvents = r.issue6.userChildEventsPerUser / 2;
  lines.push({ target: 'history events per user child per pass ≤ 60', figure: fmt(childEvents, 1), met: childEvents <= 60 });
  return lines;
}

/**
 * The 12 × ratio divides walls of two runs, often hours apart, and this machine kind has
 * changed speed by 2 × within hours. Each run measures the raw CopyObject rate of its moto
 * before it migrates; the two rates side by side tell a slower machine from slower code.
 * Not a target: the larger run's moto holds ten times the objects, which costs it a little.
 */
export function machineCheck(r: Pick<BenchResults, 'issue4'>, base: NonNullable<BenchHistory[string]>): TargetLine | undefined {
  const now = r.issue4.raw.objectsPerSecond;
  const then = base.issue4?.raw.objectsPerSecond;
  if (!then || !now) return undefined;
  return {
    target: 'machine check: raw CopyObject rate, this run ÷ that run',
    figure: `${fmt(now / then, 2)} × (${fmt(now, 1)} / ${fmt(then, 1)} objects/s)`,
  };
}

export function renderTargets(lines: TargetLine[]): string[] {
  const width = Math.max(...lines.map((l) => l.target.length));
  return lines.map((l) => `${l.target.padEnd(width)}  ${l.met === undefined ? '  -    ' : l.met ? '  MET  ' : 'NOT MET'}  ${l.figure}`);
}
