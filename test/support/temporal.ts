/** Workflow tests: a real worker on the dev server started by globalSetup, one task queue per test file. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createWorker, type WorkerTuning } from '../../worker/worker';
import { bundleWorkflows, WORKFLOW_BUNDLE_ENV } from './workflowBundle';
import type { ActivityDeps } from '../../activities';

// Worker state chatter drowns test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed by an earlier test file in this process
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/**
 * The workflow bundle: the one globalSetup made at the start of this jest run (from the same
 * sources), read from its file; bundled here only when there is none (a file run outside jest's
 * globalSetup). Once per test file either way.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = process.env[WORKFLOW_BUNDLE_ENV];
  bundle ??= file && existsSync(file) ? readFile(file, 'utf8').then((text) => JSON.parse(text) as WorkflowBundleWithSourceMap) : bundleWorkflows();
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
