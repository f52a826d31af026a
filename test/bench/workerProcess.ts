/**
 * The bench's worker, in a process of its own, so that its memory and CPU are measured apart
 * from the bench (which holds the request log, the sample's figures and the proxies). It is
 * the same worker `amplify-migrate worker` runs: the project's createWorker, its activities
 * and a ledger resolver, pointed at the bench's counting proxies.
 *
 * Protocol (Node IPC): the bench forks this file with BENCH_WORKER in the environment; it
 * answers `{ type: 'ready' }` once polling, and on `{ type: 'stop' }` shuts down and answers
 * `{ type: 'stopped', ledgerCost }` before exiting.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { temporalLedgerResolver } from '../../activities/ledger/resolver';
import type { LedgerCost } from '../../activities/ledger/s3Ledger';
import { TASK_QUEUE } from '../../workflows/taskQueue';
import { WORKER_MALLOC_ARENAS } from '../../worker/memory';
import { createWorker } from '../../worker/worker';

export interface BenchWorkerConfig {
  temporalAddress: string;
  awsEndpoint: string;
  dynamoEndpoint?: string;
  region: string;
  maxConcurrentActivityTaskExecutions: number;
  /** V8's old-space limit for the worker process (--max-old-space-size), in MiB; 0: Node's default. */
  heapMib: number;
}

/**
 * Where the worker's memory was at its highest resident set: V8's heap against what lies
 * outside it (buffers, the SDK's native core), and how many workflow runs the SDK's cache held.
 * It tells garbage V8 has not collected yet from memory that is retained (issue 9: worker RSS).
 */
export interface WorkerMemory {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** The most workflow runs the worker's cache held at once, over the whole run. */
  maxCachedWorkflows: number;
  /** V8's heap limit in this process (Node's default from the machine's memory, or --max-old-space-size). */
  heapLimitBytes: number;
  /** glibc's malloc arenas as the worker ran (MALLOC_ARENA_MAX); absent: glibc's default, 8 per core. */
  mallocArenaMax?: string;
}

type FromWorker = { type: 'ready' } | { type: 'stopped'; ledgerCost: LedgerCost; memory: WorkerMemory } | { type: 'failed'; error: string };

/** How often the worker samples its own memory, and how often it logs a sample. */
const MEMORY_SAMPLE_MS = 1_000;
const MEMORY_LOG_EVERY_SAMPLES = 120;

const ENV_KEY = 'BENCH_WORKER';

/** The worker process as the bench sees it. */
export interface BenchWorker {
  pid: number;
  /** Rejects if the worker dies before it is told to stop: the bench must not wait on a dead worker. */
  died: Promise<never>;
  /** Shuts the worker down and returns what its ledger cost and its memory at its peak. */
  stop(): Promise<{ ledgerCost: LedgerCost; memory: WorkerMemory }>;
  kill(): void;
}

/** Forks the worker (with the bench's own tsx loader, inherited through execArgv) and waits until it polls. */
export async function startBenchWorker(config: BenchWorkerConfig): Promise<BenchWorker> {
  // The memory settings `amplify-migrate worker` starts node with (worker/memory.ts).
  const execArgv = [...process.execArgv, ...(config.heapMib === 0 ? [] : [`--max-old-space-size=${config.heapMib}`])];
  const env = { MALLOC_ARENA_MAX: String(WORKER_MALLOC_ARENAS), ...process.env, [ENV_KEY]: JSON.stringify(config) };
  const child: ChildProcess = fork(__filename, [], { env, execArgv, stdio: 'inherit' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not fork the bench worker');
  let stopping = false;
  const messages: FromWorker[] = [];
  const waiters: ((m: FromWorker) => void)[] = [];
  child.on('message', (m: FromWorker) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else messages.push(m);
  });
  const next = () => new Promise<FromWorker>((resolve) => (messages.length > 0 ? resolve(messages.shift() as FromWorker) : waiters.push(resolve)));
  const died = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopping) reject(new Error(`the bench worker (pid ${pid}) exited early: code ${code}, signal ${signal}`));
    });
  });
  died.catch(() => undefined);
  const first = await Promise.race([next(), died]);
  if (first.type !== 'ready') throw new Error(`the bench worker did not start: ${first.type === 'failed' ? first.error : first.type}`);
  return {
    pid,
    died,
    async stop() {
      stopping = true;
      child.send({ type: 'stop' });
      const last = await next();
      if (last.type !== 'stopped') throw new Error(`the bench worker failed: ${last.type === 'failed' ? last.error : last.type}`);
      return { ledgerCost: last.ledgerCost, memory: last.memory };
    },
    kill() {
      stopping = true;
      child.kill('SIGKILL');
    },
  };
}

/** The resident set of another process, from /proc (0 once it has gone). */
export function processRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function runWorker(config: BenchWorkerConfig): Promise<void> {
  // The name /proc shows, so the bench's CPU table tells this process from the bench's own.
  process.title = 'bench-worker';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const send = (m: FromWorker) => process.send?.(m);
  const clients = createAwsClients({ endpoint: config.awsEndpoint, dynamoEndpoint: config.dynamoEndpoint, region: config.region });
  const ledgerCost: LedgerCost = { requests: 0, bytes: 0 };
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({
    deps: { clients, ledger: temporalLedgerResolver(clients, ledgerCost) },
    connection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    tuning: { maxConcurrentActivityTaskExecutions: config.maxConcurrentActivityTaskExecutions },
  });
  const shutdown = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stop') shutdown();
  });
  // The bench going away (its IPC channel closing) stops the worker too.
  process.on('disconnect', shutdown);
  const running = worker.run();
  send({ type: 'ready' });
  const memory = sampleMemory(() => worker.getStatus().numCachedWorkflows);
  await running;
  destroyAwsClients(clients);
  await connection.close();
  send({ type: 'stopped', ledgerCost, memory: memory.stop() });
}

/** Samples the process's memory until stopped; keeps the sample of the highest RSS, and logs one now and then. */
function sampleMemory(cachedWorkflows: () => number): { stop(): WorkerMemory } {
  const heapLimitBytes = getHeapStatistics().heap_size_limit;
  const mallocArenaMax = process.env.MALLOC_ARENA_MAX;
  let peak: WorkerMemory = { rssBytes: 0, heapUsedBytes: 0, heapTotalBytes: 0, externalBytes: 0, arrayBuffersBytes: 0, maxCachedWorkflows: 0, heapLimitBytes, mallocArenaMax };
  let samples = 0;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    const cached = cachedWorkflows();
    const maxCachedWorkflows = Math.max(peak.maxCachedWorkflows, cached);
    if (usage.rss > peak.rssBytes) {
      peak = { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, heapTotalBytes: usage.heapTotal, externalBytes: usage.external, arrayBuffersBytes: usage.arrayBuffers, maxCachedWorkflows, heapLimitBytes, mallocArenaMax };
    } else peak.maxCachedWorkflows = maxCachedWorkflows;
    if (++samples % MEMORY_LOG_EVERY_SAMPLES === 0) {
      process.stderr.write(`bench-worker memory: rss ${mib(usage.rss)}, heap ${mib(usage.heapUsed)} used of ${mib(usage.heapTotal)}, external ${mib(usage.external)}, cached workflows ${cached}\n`);
    }
  }, MEMORY_SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

const configured = process.env[ENV_KEY];
if (configured && require.main === module) {
  runWorker(JSON.parse(configured) as BenchWorkerConfig).then(
    () => process.disconnect?.(),
    (err: unknown) => {
      process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
}
