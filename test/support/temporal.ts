/** Workflow tests: a real worker on the dev server started by globalSetup, one task queue per test file. */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createWorker, WORKFLOWS_PATH, type WorkerTuning } from '../../worker/worker';
import type { ActivityDeps } from '../../activities';

// Worker state chatter drowns test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed by an earlier test file in this process
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes seconds: do it once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} } as never });
  return bundle;
}

export interface TestTemporal {
  client: Client;
  taskQueue: string;
  nativeConnection: NativeConnection;
  startWorker(deps: ActivityDeps, tuning?: WorkerTuning): Promise<Worker>;
  close(): Promise<void>;
}

export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS not set: run the tests through jest (globalSetup starts the dev server)');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  return {
    client: new Client({ connection }),
    taskQueue,
    nativeConnection,
    async startWorker(deps, tuning) {
      return createWorker({
        deps,
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        tuning,
        workflowBundle: await workflowBundle(),
      });
    },
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
