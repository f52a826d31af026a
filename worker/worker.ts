/**
 * Builds a worker for the project's task queue. Any number of these, on any hosts, may poll
 * one cluster: per-worker concurrency and a task-queue-wide activity rate keep production
 * tables and buckets within their capacity.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUE } from '../workflows/taskQueue';
import { temporalSettings, type TemporalSettings } from './connection';

export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Activities per second across every worker of the task queue (server-enforced). */
  maxTaskQueueActivitiesPerSecond?: number;
  /** Activities per second for this worker alone. */
  maxActivitiesPerSecond?: number;
}

// Every concurrent AWS call of an activity listens on its cancellation signal; dozens at
// once are normal here, not a leak.
setMaxListeners(500);

let runtimeInstalled = false;
/** The SDK logs worker state changes and bundling at INFO; operators want warnings and errors. */
export function installRuntimeLogger(level: LogLevel = (process.env.AMPLIFY_MIGRATE_LOG_LEVEL as LogLevel) ?? 'WARN'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // A runtime is already installed (by a test harness or an embedding program): keep it.
  }
}

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

export async function createWorker(options: {
  deps: ActivityDeps;
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  tuning?: WorkerTuning;
  /** A pre-built bundle (tests build it once); otherwise the workflows are bundled here. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Worker> {
  const { tuning = {} } = options;
  installRuntimeLogger();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: createActivities(options.deps),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions ?? 20,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions ?? 40,
    ...(tuning.maxTaskQueueActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: tuning.maxTaskQueueActivitiesPerSecond } : {}),
    ...(tuning.maxActivitiesPerSecond ? { maxActivitiesPerSecond: tuning.maxActivitiesPerSecond } : {}),
  });
}

export async function connectWorkerConnection(settings: TemporalSettings = temporalSettings()): Promise<NativeConnection> {
  installRuntimeLogger();
  return NativeConnection.connect(settings.connectionOptions);
}
