/**
 * The real processes a chaos run kills: `amplify-migrate worker` processes (SIGKILLed as a
 * whole process group, as a supervisor or the OOM killer would end them) and a Temporal dev
 * server on a fixed port and database file, so it can be SIGKILLed and restarted in place.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { freePort, PROJECT_ROOT, startTemporalDevServer } from '../../client/stack/localStack';

export const BIN = path.join(PROJECT_ROOT, 'bin', 'amplify-migrate');

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface RunningWorker {
  child: ChildProcess;
  startedAt: number;
}

/**
 * One worker at a time (so a kill stops every activity in flight, the worst case), each
 * spawned detached: it leads its own process group, which a kill takes down whole.
 */
export class WorkerFleet {
  private current?: RunningWorker;
  private started = 0;
  readonly kills: { at: number; pid: number }[] = [];

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    private readonly label: string,
  ) {}

  get count(): number {
    return this.started;
  }

  start(): void {
    const log = openSync(path.join(this.logDir, `${this.label}-worker-${++this.started}.log`), 'a');
    const child = spawn(BIN, ['worker', '--shutdown-grace-seconds', '5'], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    // If the runner dies, its workers must not keep polling the task queue.
    const reap = () => killGroup(child);
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    this.current = { child, startedAt: Date.now() };
  }

  /** SIGKILL to the current worker's process group, then a new worker at once. */
  async killAndReplace(): Promise<number> {
    const victim = this.current;
    if (!victim) throw new Error('no worker to kill');
    const at = Date.now();
    killGroup(victim.child);
    this.kills.push({ at, pid: victim.child.pid ?? -1 });
    this.start();
    await exited(victim.child);
    return at;
  }

  /** SIGTERM (graceful: in-flight activities settle) and wait. */
  async stop(): Promise<void> {
    const victim = this.current;
    this.current = undefined;
    if (!victim || victim.child.exitCode !== null || victim.child.signalCode !== null) return;
    const timer = setTimeout(() => killGroup(victim.child), 30_000);
    victim.child.kill('SIGTERM');
    await exited(victim.child);
    clearTimeout(timer);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** A Temporal dev server that can be SIGKILLed and restarted on the same port and SQLite file. */
export class RestartableTemporal {
  private child?: ChildProcess;
  restarts = 0;
  downtimeMs = 0;

  private constructor(
    readonly port: number,
    private readonly dbFile: string,
    private readonly logDir: string,
  ) {}

  static async start(dbFile: string, logDir: string): Promise<RestartableTemporal> {
    const server = new RestartableTemporal(await freePort(), dbFile, logDir);
    await server.launch();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const { child } = await startTemporalDevServer({ temporalDbFile: this.dbFile, temporalPort: this.port, logDir: this.logDir });
    this.child = child;
  }

  /** SIGKILL (no shutdown of any kind), then the same command again. */
  async killAndRestart(): Promise<void> {
    const child = this.child;
    if (!child) throw new Error('Temporal dev server not running');
    const down = Date.now();
    child.kill('SIGKILL');
    await exited(child);
    await this.launch();
    this.restarts++;
    this.downtimeMs += Date.now() - down;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** bin/amplify-migrate as an operator runs it; output kept for the report. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
