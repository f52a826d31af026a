import type { CommandModule } from 'yargs';
import { createAwsClients } from '../../activities/aws/clients';
import { connectWorkerConnection, createWorker } from '../../worker/worker';
import { temporalSettings } from '../../worker/connection';
import { TASK_QUEUE } from '../../workflows/taskQueue';
import { CliError, EXIT } from '../exitCodes';

interface WorkerArgs {
  'task-queue': string;
  'max-concurrent-activities': number;
  'max-concurrent-workflow-tasks': number;
  'task-queue-activities-per-second'?: number;
  'activities-per-second'?: number;
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
      .option('activities-per-second', { type: 'number', describe: 'rate limit for this worker alone' }),
  handler: async (args) => {
    const settings = temporalSettings();
    let connection;
    try {
      connection = await connectWorkerConnection(settings);
    } catch (err) {
      throw new CliError(`cannot reach Temporal at ${settings.connectionOptions.address}: ${(err as Error).message.split('\n')[0]}`, EXIT.failed);
    }
    const worker = await createWorker({
      deps: { clients: createAwsClients() },
      connection,
      namespace: settings.namespace,
      taskQueue: args['task-queue'],
      tuning: {
        maxConcurrentActivityTaskExecutions: args['max-concurrent-activities'],
        maxConcurrentWorkflowTaskExecutions: args['max-concurrent-workflow-tasks'],
        maxTaskQueueActivitiesPerSecond: args['task-queue-activities-per-second'],
        maxActivitiesPerSecond: args['activities-per-second'],
      },
    });
    console.error(`worker polling "${args['task-queue']}" on ${settings.connectionOptions.address} (namespace ${settings.namespace}); Ctrl-C stops it gracefully`);
    await worker.run();
  },
};
