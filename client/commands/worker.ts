import type { CommandModule } from 'yargs';
import { getHeapStatistics } from 'node:v8';
import { GracefulShutdownPeriodExpiredError } from '@temporalio/worker';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { connectWorkerConnection, createWorker, DEFAULT_SHUTDOWN_GRACE_SECONDS } from '../../worker/worker';
import { temporalSettings } from '../../worker/connection';
import { TASK_QUEUE } from '../../workflows/taskQueue';
import { CliError, EXIT } from '../exitCodes';

interface WorkerArgs {
  'task-queue': string;
  'max-concurrent-activities': number;
  'max-concurrent-workflow-tasks': number;
  'task-queue-activities-per-second'?: number;
  'activities-per-second'?: number;
  'shutdown-grace-seconds': number;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Run a worker (any number may share the task queue, on any hosts)',
  builder: (y) =>
    y
      .option('task-queue', { type: 'string', default: process.env.AMPLIFY_MIGRATE_TASK_QUEUE || TASK_QUEUE })
      .option('max-concurrent-activities', { type: 'number', default: 20, describe: 'activities this worker runs at once' })
      .option('max-concurrent-workflow-tasks', { type: 'number', default: 40 })
      .option('task-queue-activities-per-second', {
        type: 'number',
        describe: 'rate limit across ALL workers of the task queue, to protect production capacity',
      })
      .option('activities-per-second', { type: 'number', describe: 'rate limit for this worker alone' })
      .option('shutdown-grace-seconds', {
        type: 'number',
        default: DEFAULT_SHUTDOWN_GRACE_SECONDS,
        describe: 'on SIGTERM/SIGINT: how long in-flight activities may finish before they are cancelled (they resume elsewhere)',
      }),
  handler: async (args) => {
    const settings = temporalSettings();
    let connection;
    try {
      connection = await connectWorkerConnection(settings);
    } catch (err) {
      throw new CliError(`cannot reach Temporal at ${settings.connectionOptions.address}: ${(err as Error).message.split('\n')[0]}`, EXIT.failed);
    }
    const clients = createAwsClients();
    const worker = await createWorker({
      deps: { clients },
      connection,
      namespace: settings.namespace,
      taskQueue: args['task-queue'],
      tuning: {
        maxConcurrentActivityTaskExecutions: args['max-concurrent-activities'],
        maxConcurrentWorkflowTaskExecutions: args['max-concurrent-workflow-tasks'],
        maxTaskQueueActivitiesPerSecond: args['task-queue-activities-per-second'],
        maxActivitiesPerSecond: args['activities-per-second'],
        shutdownGraceSeconds: args['shutdown-grace-seconds'],
      },
    });
    // The SDK's runtime turns SIGINT, SIGTERM, SIGQUIT and SIGUSR2 into a graceful shutdown:
    // polling stops, in-flight activities get the grace period, then run() returns.
    console.error(
      `worker ${worker.options.identity} (pid ${process.pid}) polling "${args['task-queue']}" on ${settings.connectionOptions.address} (namespace ${settings.namespace}); V8 heap limit ${Math.round(getHeapStatistics().heap_size_limit / 1024 ** 2)} MiB, MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? "glibc's default"}; SIGTERM or Ctrl-C stops it gracefully`,
    );
    try {
      await worker.run();
    } catch (err) {
      if (err instanceof GracefulShutdownPeriodExpiredError) {
        throw new CliError(`worker stopped with activities still running after the ${args['shutdown-grace-seconds']} s grace period: they are retried elsewhere`, EXIT.failed);
      }
      throw err;
    } finally {
      // Open sockets would keep node alive after run() returns: a stopped worker must exit.
      destroyAwsClients(clients);
      await connection.close();
    }
    console.error(`worker ${worker.options.identity} stopped: in-flight work settled`);
  },
};
