/**
 * `amplify-migrate worker` as the process an operator, a supervisor or `kill -9` deals with:
 * the PID it prints is the worker itself (no wrapper that a SIGKILL would orphan it from),
 * and SIGTERM lets in-flight activities finish, then exits 0.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildDeployment } from '../../src/deployment/catalogue';
import { uniqueDepName } from '../support/aws';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'amplify-migrate');

interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the identity and PID the worker prints once it polls. */
  ready: Promise<{ identity: string; pid: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Resolves when stderr has printed text matching the pattern. */
  printed(pattern: RegExp): Promise<void>;
}

function startWorker(taskQueue: string, env: Record<string, string> = {}, args: string[] = []): WorkerProcess {
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
function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/**
 * A pass-through proxy to the moto server that, once told to, holds every request until
 * released, so the test decides when the worker's activities may finish (no sleeps, no timing).
 */
class GatedProxy {
  private held: (() => void)[] = [];
  private open = true;
  private heldListeners: (() => void)[] = [];
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      const forward = () => this.forward(req, res);
      if (this.open) return forward();
      this.held.push(forward);
      for (const l of this.heldListeners.splice(0)) l();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, requests wait for release() (the worker's own start-up calls went through). */
  hold(): void {
    this.open = false;
  }

  /** Resolves once a request is being held (an activity is in flight on the worker). */
  holding(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((resolve) => this.heldListeners.push(resolve));
  }

  release(): void {
    this.open = true;
    for (const forward of this.held.splice(0)) forward();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      { hostname: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (reply: IncomingMessage) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

describe('amplify-migrate worker as a process', () => {
  let temporal: TestTemporal;
  const started: WorkerProcess[] = [];
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    // A failed assertion must not leave a worker polling the shared dev server.
    for (const w of started) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await temporal.close();
  });

  it('SIGKILL to the printed PID leaves no worker process behind', async () => {
    const taskQueue = `test-kill-${randomBytes(4).toString('hex')}`;
    const worker = startWorker(taskQueue);
    started.push(worker);
    const { pid } = await worker.ready;
    // The printed PID is the process the shell started: node itself, not a wrapper around it.
    expect(pid).toBe(worker.child.pid);
    expect(processesMentioning(taskQueue)).toHaveLength(1);

    process.kill(pid, 'SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(processesMentioning(taskQueue)).toEqual([]);
  });

  it('SIGTERM lets the in-flight activities finish, then exits 0', async () => {
    const proxy = new GatedProxy(new URL(process.env.AWS_ENDPOINT_URL!));
    const endpoint = await proxy.listen();
    const taskQueue = `test-term-${randomBytes(4).toString('hex')}`;
    // INFO: the worker logs its state changes, which says when the shutdown has begun.
    const worker = startWorker(taskQueue, { AWS_ENDPOINT_URL: endpoint, AMPLIFY_MIGRATE_LOG_LEVEL: 'INFO' }, ['--shutdown-grace-seconds', '300']);
    started.push(worker);
    try {
      const { pid, identity } = await worker.ready;
      proxy.hold();
      const depName = uniqueDepName('wp');
      const handle = await temporal.client.workflow.start('preflightWorkflow', {
        taskQueue,
        workflowId: `preflight-${depName}`,
        args: [{ deployment: buildDeployment({ depName, stage: 'dev' }) }],
      });
      // The preflight activities are running on the worker, each stuck on its first AWS call.
      await proxy.holding();

      process.kill(pid, 'SIGTERM');
      // The worker stops polling and drains: it is still alive, waiting on those activities.
      await worker.printed(/Worker state changed[\s\S]*'(STOPPING|DRAINING)'/);
      proxy.release();

      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.stderr()).toContain(`worker ${identity} stopped: in-flight work settled`);
      expect(processesMentioning(taskQueue)).toEqual([]);

      // Every activity the workflow scheduled (all in flight on this worker at the SIGTERM) was
      // completed by it: none was cancelled or abandoned mid-flight.
      const events = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => Number(e.eventId));
      const completed = events.flatMap((e) => (e.activityTaskCompletedEventAttributes ? [Number(e.activityTaskCompletedEventAttributes.scheduledEventId)] : []));
      const startedBy = new Set(events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.identity] : [])));
      expect(scheduled.length).toBeGreaterThan(0);
      expect(completed.sort()).toEqual(scheduled.sort());
      expect([...startedBy]).toEqual([identity]);
      await handle.terminate('test over');
    } finally {
      proxy.release();
      await proxy.close();
    }
  });
});
