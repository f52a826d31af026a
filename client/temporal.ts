/** The CLI's Temporal client, with one-line errors when the cluster cannot be reached. */
import { Client, Connection } from '@temporalio/client';
import { temporalSettings } from '../worker/connection';
import { CliError, EXIT } from './exitCodes';
import { TASK_QUEUE } from '../workflows/taskQueue';

export async function connectClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const settings = temporalSettings();
  const { address } = settings.connectionOptions;
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address,
      tls: settings.connectionOptions.tls ?? undefined,
      apiKey: settings.connectionOptions.apiKey,
      metadata: settings.connectionOptions.metadata,
      connectTimeout: 5_000,
    });
  } catch (err) {
    throw new CliError(
      `cannot reach Temporal at ${address}: ${(err as Error).message.split('\n')[0]} (set TEMPORAL_ADDRESS, or start the local stack)`,
      EXIT.failed,
    );
  }
  return { client: new Client({ connection, namespace: settings.namespace }), close: () => connection.close() };
}

/** The task queue the CLI starts workflows on: AMPLIFY_MIGRATE_TASK_QUEUE isolates one fleet of workers from another. */
export function clientTaskQueue(): string {
  return process.env.AMPLIFY_MIGRATE_TASK_QUEUE || TASK_QUEUE;
}

/** True when at least one worker polled the task queue recently; lets the CLI warn instead of hanging. */
export async function hasWorkers(client: Client, taskQueue = clientTaskQueue()): Promise<boolean> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return (res.pollers ?? []).length > 0;
}
