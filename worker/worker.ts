/**
 * Builds a worker for the project's task queue. Any number of these, on any hosts, may poll
 * one cluster: per-worker concurrency and a task-queue-wide activity rate keep production
 * tables and buckets within their capacity.
 */
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { defaultExportSettings, type ExportSettings } from '../activities/migration/backups';
import { TASK_QUEUE } from '../workflows/taskQueue';
import { temporalSettings, type TemporalSettings } from './connection';

export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Activities per second across every worker of the task queue (server-enforced). */
  maxTaskQueueActivitiesPerSecond?: number;
  /** Activities per second for this worker alone. */
  maxActivitiesPerSecond?: number;
  /**
   * After SIGTERM/SIGINT (or shutdown()): how long in-flight activities may run to completion
   * before they are cancelled (they see the cancellation through their abort signal and
   * record their heartbeat cursor, so the next attempt resumes). Absent: the SDK's default
   * of 0, which in-process test workers keep.
   */
  shutdownGraceSeconds?: number;
}

/**
 * The `worker` command's grace: seconds an in-flight activity may take to finish after a
 * shutdown request. Activities heartbeat and resume from their cursor, so a short grace loses little.
 */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
/** Past the grace period, how long cancelled activities get to settle before the worker gives up on them. */
export const SHUTDOWN_FORCE_MARGIN_SECONDS = 15;

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

/**
 * Where this worker puts the old user-storage table's export, from its environment:
 * AMPLIFY_MIGRATE_EXPORT_S3 (`s3://bucket/prefix`) for fleets of workers on several hosts,
 * AMPLIFY_MIGRATE_EXPORT_DIR for its local folder. Read once, when the worker is created.
 */
export function exportSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ExportSettings {
  return { localDir: env.AMPLIFY_MIGRATE_EXPORT_DIR ?? defaultExportSettings().localDir, s3Url: env.AMPLIFY_MIGRATE_EXPORT_S3 };
}

/**
 * The workflow entry point next to this file: compiled `.js` when running from dist/ (the CLI
 * and the Docker image), `.ts` when running from sources (ts-jest, tsx). The bundler takes either.
 */
export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', `index${path.extname(__filename) === '.ts' ? '.ts' : '.js'}`);

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
    activities: createActivities({ ...options.deps, exports: options.deps.exports ?? exportSettingsFromEnv() }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // Heartbeats reach the server at most 3 s apart (the SDK's default throttle is 80% of the
    // timeout): with activities' 3 s keepalive, a 15 s heartbeat timeout has room for a few
    // lost or late beats, and a dead worker is noticed in 15 s.
    maxHeartbeatThrottleInterval: '3 seconds',
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions ?? 20,
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTaskExecutions ?? 40,
    ...(tuning.maxTaskQueueActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: tuning.maxTaskQueueActivitiesPerSecond } : {}),
    ...(tuning.maxActivitiesPerSecond ? { maxActivitiesPerSecond: tuning.maxActivitiesPerSecond } : {}),
    ...(tuning.shutdownGraceSeconds !== undefined
      ? {
          shutdownGraceTime: `${tuning.shutdownGraceSeconds}s`,
          // A bound on the whole shutdown: a worker told to stop must stop, even if an activity ignores cancellation.
          shutdownForceTime: `${tuning.shutdownGraceSeconds + SHUTDOWN_FORCE_MARGIN_SECONDS}s`,
        }
      : {}),
  });
}

export async function connectWorkerConnection(settings: TemporalSettings = temporalSettings()): Promise<NativeConnection> {
  installRuntimeLogger();
  return NativeConnection.connect(settings.connectionOptions);
}
