/**
 * `amplify-migrate worker` as a child process of a test: the process an operator, a supervisor
 * or `kill -9` deals with (the compiled CLI in dist/, which globalSetup builds).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'amplify-migrate');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the identity and PID the worker prints once it polls. */
  ready: Promise<{ identity: string; pid: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Resolves when stderr has printed text matching the pattern. */
  printed(pattern: RegExp): Promise<void>;
}

export function startWorkerProcess(taskQueue: string, env: Record<string, string> = {}, args: string[] = []): WorkerProcess {
  const child = spawn(BIN, ['worker', '--task-queue', taskQueue, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      waiters.push({ pattern, resolve });
      void exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before printing ${pattern}:\n${stderr}`)));
    });
  const polling = /worker (\S+) \(pid (\d+)\) polling/;
  const ready = printed(polling).then(() => {
    const [, identity, pid] = polling.exec(stderr)!;
    return { identity, pid: Number(pid) };
  });
  return { child, ready, exited, stderr: () => stderr, printed };
}

/** Every process whose command line mentions the text (the worker's unique task queue). */
export function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}
