/**
 * Driving a running migration from a test: a worker in the background, and waits on the
 * workflow's own status query (never on wall-clock time).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { migrationWorkflow } from '../../workflows/migration';
import { statusQuery } from '../../workflows/messages';
import type { MigrationInput, MigrationStatus } from '../../workflows/types';
import type { TestTemporal } from './temporal';

export type MigrationHandle = WorkflowHandleWithFirstExecutionRunId<typeof migrationWorkflow>;

export interface BackgroundWorker {
  worker: Worker;
  /** Shuts the worker down and waits until it has stopped (in-flight activities are cancelled). */
  stop(): Promise<void>;
}

export function runInBackground(worker: Worker): BackgroundWorker {
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

export function startMigration(temporal: TestTemporal, input: MigrationInput, workflowId: string): Promise<MigrationHandle> {
  return temporal.client.workflow.start(migrationWorkflow, { taskQueue: temporal.taskQueue, workflowId, args: [input] });
}

/**
 * Polls the status query until `predicate` holds. Fails at once (with the last status) when
 * the workflow closes first, so a wrong expectation does not hang until the jest timeout.
 */
export async function waitForStatus(handle: MigrationHandle, predicate: (s: MigrationStatus) => boolean, what: string): Promise<MigrationStatus> {
  let last: MigrationStatus | undefined;
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING' && description.status.name !== 'CONTINUED_AS_NEW') {
      throw new Error(`workflow ${description.status.name} before ${what}; last status ${JSON.stringify(last && { phase: last.phase, users: last.users })}`);
    }
    try {
      last = await handle.query(statusQuery);
      if (predicate(last)) return last;
    } catch (err) {
      // The first workflow task may not have run yet (no handler registered): try again.
      if (!/not registered|unknown queryType|did not register|no such query/i.test(String((err as Error).message))) throw err;
    }
    await sleep(200);
  }
}

/** Waits until the workflow id's current run is no longer `runId` (it continued as new). */
export async function waitForNextRun(temporal: TestTemporal, workflowId: string, runId: string): Promise<string> {
  for (;;) {
    const current = await temporal.client.workflow.getHandle(workflowId).describe();
    if (current.runId !== runId) return current.runId;
    if (current.status.name !== 'RUNNING') throw new Error(`run ${runId} ended ${current.status.name} without continuing as new`);
    await sleep(200);
  }
}
