/**
 * Where the CPU goes: the bench process (seeding, the counting proxies) against the worker, the
 * emulators and the Temporal dev server it spawned, read from /proc, plus peak RSS samples.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

interface ChildCpu {
  pid: number;
  name: string;
  cpuSeconds: number;
}

function readStat(pid: number): { name: string; ppid: number; cpuSeconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ppid = Number(fields[1]);
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    return { name, ppid, cpuSeconds };
  } catch {
    return undefined;
  }
}

/** Direct children of this process (the servers startLocalStack spawned), with CPU used so far. */
export function childCpu(): ChildCpu[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
  const out: ChildCpu[] = [];
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat && stat.ppid === process.pid) out.push({ pid, name: stat.name, cpuSeconds: stat.cpuSeconds });
  }
  return out;
}

export interface CpuSnapshot {
  at: number;
  benchCpuSeconds: number;
  children: ChildCpu[];
}

export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  return { at: Date.now(), benchCpuSeconds: (usage.user + usage.system) / 1e6, children: childCpu() };
}

export interface CpuBreakdown {
  wallSeconds: number;
  /** CPU seconds per process over the interval, and as a share of one core. */
  processes: { name: string; cpuSeconds: number; coreShare: number }[];
  loadAverage: number[];
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuBreakdown {
  const wallSeconds = (after.at - before.at) / 1000;
  const share = (s: number) => (wallSeconds > 0 ? s / wallSeconds : 0);
  const processes = [{ name: 'bench + proxies (node)', cpuSeconds: after.benchCpuSeconds - before.benchCpuSeconds }];
  for (const child of after.children) {
    const start = before.children.find((c) => c.pid === child.pid)?.cpuSeconds ?? 0;
    processes.push({ name: child.name, cpuSeconds: child.cpuSeconds - start });
  }
  return {
    wallSeconds,
    processes: processes.map((p) => ({ ...p, coreShare: share(p.cpuSeconds) })),
    loadAverage: readLoadAverage(),
  };
}

function readLoadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}

/** Samples a resident set size (this process's by default) until stopped, and keeps the peak. */
export function trackPeakRss(sample: () => number = () => process.memoryUsage().rss, intervalMs = 200): { peak(): number; stop(): number } {
  let peak = sample();
  const timer = setInterval(() => {
    peak = Math.max(peak, sample());
  }, intervalMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, sample()),
    stop() {
      clearInterval(timer);
      return this.peak();
    },
  };
}
