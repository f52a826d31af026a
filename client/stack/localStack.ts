/**
 * The embedded local stack: a moto server (DynamoDB, S3, SSM, STS, Cognito, CloudFormation
 * over real HTTP) and a Temporal dev server, on free loopback ports, with health checks.
 * Used by the demo, the test suite and the benchmark. Binaries come from the project-local
 * virtualenv that scripts/setup.sh installs.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/searchAttributes';
import { PROJECT_ROOT } from '../projectRoot';

export { PROJECT_ROOT };
const VENV_BIN = path.join(PROJECT_ROOT, '.stack', 'venv', 'bin');
/** Where scripts/setup.sh installs dynoxide (AMPLIFY_MIGRATE_WITH_DYNOXIDE=1). */
const CARGO_BIN = path.join(PROJECT_ROOT, '.stack', 'cargo', 'bin');

export interface LocalStackOptions {
  /** SQLite file for the Temporal dev server; in-memory when absent. */
  temporalDbFile?: string;
  /** Serve the Temporal Web UI (on the gRPC port + 1000 unless uiPort is set). */
  ui?: boolean;
  uiPort?: number;
  temporalPort?: number;
  /** Folder for the servers' log files. */
  logDir?: string;
  /**
   * DynamoDB on moto (default) or on dynoxide, whose costs grow like DynamoDB's (moto deep-copies
   * every table a transaction touches). S3, SSM, STS and Cognito stay on moto either way.
   */
  dynamodb?: 'moto' | 'dynoxide';
}

export interface LocalStack {
  awsEndpoint: string;
  temporalAddress: string;
  uiUrl?: string;
  /** The environment a worker or CLI needs to talk to this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export function resolveBinary(name: 'temporal' | 'moto_server' | 'dynoxide', envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const local = path.join(name === 'dynoxide' ? CARGO_BIN : VENV_BIN, name);
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found: run "bash scripts/setup.sh" (or set ${envVar})`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The interpreter of a Python console script (its shebang), which can import that script's package. */
function pythonOf(script: string): string {
  const shebang = readFileSync(script, 'utf8').split('\n', 1)[0];
  return shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/)[0] : 'python3';
}

async function waitFor(what: string, probe: () => Promise<boolean>, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it became healthy`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become healthy within ${timeoutMs / 1000}s`);
}

function spawnLogged(binary: string, args: string[], logFile: string | undefined): ChildProcess {
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(binary, args, { stdio: ['ignore', out, out], detached: false });
  // If this process ends without stop() (a crash, an uncaught error), take the servers along
  // instead of leaving them running on their ports.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The moto server, serving one request at a time (scripts/moto_serial_server.py): moto's
 * threaded server lets a cancelled TransactWriteItems restore its snapshot of a table over
 * the writes of concurrent requests, which DynamoDB never does.
 */
export async function startMotoServer(logDir?: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawnLogged(
    pythonOf(resolveBinary('moto_server', 'MOTO_SERVER_PATH')),
    [path.join(PROJECT_ROOT, 'scripts', 'moto_serial_server.py'), '-H', '127.0.0.1', '-p', String(port)],
    logDir && path.join(logDir, 'moto.log'),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor('moto server', async () => (await fetch(`${endpoint}/moto-api/`)).ok, child);
  return { endpoint, child };
}

export async function startTemporalDevServer(
  options: LocalStackOptions,
): Promise<{ address: string; uiUrl?: string; child: ChildProcess }> {
  const port = options.temporalPort ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', flag);
  if (options.temporalDbFile) {
    mkdirSync(path.dirname(options.temporalDbFile), { recursive: true });
    args.push('--db-filename', options.temporalDbFile);
  }
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = options.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  } else {
    args.push('--headless');
  }
  const child = spawnLogged(
    resolveBinary('temporal', 'TEMPORAL_CLI_PATH'),
    args,
    options.logDir && path.join(options.logDir, 'temporal.log'),
  );
  const address = `127.0.0.1:${port}`;
  await waitFor(
    'Temporal dev server',
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.healthService.check({});
        return true;
      } finally {
        await connection.close();
      }
    },
    child,
  );
  return { address, uiUrl, child };
}

export async function startDynoxideServer(logDir?: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawnLogged(resolveBinary('dynoxide', 'DYNOXIDE_PATH'), ['serve', '--host', '127.0.0.1', '--port', String(port)], logDir && path.join(logDir, 'dynoxide.log'));
  const endpoint = `http://127.0.0.1:${port}`;
  // Any DynamoDB answer means it serves (an unsigned probe gets MissingAuthenticationToken).
  const probe = { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' };
  await waitFor('dynoxide', async () => (await fetch(endpoint, probe)).headers.get('content-type') !== null, child);
  return { endpoint, child };
}

/** Starts the servers; the returned env is what workers and the CLI read. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });
  const moto = await startMotoServer(options.logDir);
  let temporal: Awaited<ReturnType<typeof startTemporalDevServer>>;
  let dynoxide: Awaited<ReturnType<typeof startDynoxideServer>> | undefined;
  try {
    if (options.dynamodb === 'dynoxide') dynoxide = await startDynoxideServer(options.logDir);
    temporal = await startTemporalDevServer(options);
  } catch (err) {
    await Promise.all([stopChild(moto.child), dynoxide && stopChild(dynoxide.child)]);
    throw err;
  }
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    ...(dynoxide ? { AWS_ENDPOINT_URL_DYNAMODB: dynoxide.endpoint } : {}),
  };
  return {
    awsEndpoint: moto.endpoint,
    temporalAddress: temporal.address,
    uiUrl: temporal.uiUrl,
    env,
    async stop() {
      await Promise.all([stopChild(temporal.child), stopChild(moto.child), dynoxide && stopChild(dynoxide.child)]);
    },
  };
}
