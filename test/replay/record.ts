/**
 * Records the histories the replay test replays: representative migrations (scenario A,
 * scenario B, a paused and resumed run, a rejected run, a run that continued as new) on a
 * fresh local stack. Run it after a deliberate, versioned change of workflow code
 * (`npm run record-histories`) and commit the files; never to make a failing replay pass by accident.
 *
 * `-- --tag T --only scenario-a,rejected` records just those runs, saved as `T-scenario-a-…`
 * beside the existing files: after a patched() change, the old histories keep proving the old
 * path still replays and the new ones guard the new path.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import { startLocalStack } from '../../client/stack/localStack';
import { createAwsClients } from '../../activities/aws/clients';
import { approveUpdate, pauseUpdate, rejectUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';
import { migrationWorkflow } from '../../workflows/migration';
import { migrationInput, seedDeployment, testOptions } from '../support/migration';
import { connectTestTemporal } from '../support/temporal';
import type { MigrationOptions } from '../../workflows/types';

const OUT = path.join(__dirname, 'histories');
const IDS_FILE = path.join(OUT, 'workflow-ids.json');

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
const TAG = flag('tag');
const ONLY = flag('only')?.split(',');

async function until(handle: WorkflowHandle, what: string, test: (s: Awaited<ReturnType<typeof queryStatus>>) => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const status = await queryStatus(handle).catch(() => undefined);
    if (status && test(status)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const queryStatus = (handle: WorkflowHandle) => handle.query(statusQuery);

async function main(): Promise<void> {
  const stack = await startLocalStack({});
  Object.assign(process.env, stack.env);
  const clients = createAwsClients();
  const temporal = await connectTestTemporal();
  const worker = await temporal.startWorker({ clients });
  const saved: string[] = [];
  // Replay needs each history's own workflow id: child ids are derived from it.
  const workflowIds: Record<string, string> = TAG && existsSync(IDS_FILE) ? (JSON.parse(readFileSync(IDS_FILE, 'utf8')) as Record<string, string>) : {};

  const save = async (run: string, handle: WorkflowHandle) => {
    const name = TAG ? `${TAG}-${run}` : run;
    const history = await handle.fetchHistory();
    writeFileSync(path.join(OUT, `${name}.json`), historyToJSON(history));
    workflowIds[name] = handle.workflowId;
    saved.push(name);
  };

  const scenario = async (name: string, scenarioKind: 'A' | 'B', options: Partial<MigrationOptions>, drive?: (h: WorkflowHandle) => Promise<void>) => {
    if (ONLY && !ONLY.includes(name)) return;
    const seeded = await seedDeployment(clients, { scenario: scenarioKind, users: 4 });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ userConcurrency: 2, ...options }), `record-${name}`);
    const workflowId = `migration-${seeded.deployment.depName}-dev`;
    const handle = await temporal.client.workflow.start(migrationWorkflow, { taskQueue: temporal.taskQueue, workflowId, args: [input] });
    await drive?.(handle);
    await handle.result();
    // A parent that continued as new: its first run, which ends in a continue-as-new.
    await save(`${name}-parent`, name === 'continued' ? temporal.client.workflow.getHandle(workflowId, handle.firstExecutionRunId) : handle);
    if (name === 'scenario-a') {
      await save(`${name}-preflight`, temporal.client.workflow.getHandle(`${workflowId}/preflight`));
      await save(`${name}-user`, temporal.client.workflow.getHandle(`${workflowId}/run/u0`));
      await save(`${name}-scan`, temporal.client.workflow.getHandle(`${workflowId}/run/scan/ASSISTANT_GROUPS_DYNAMO_TABLE`));
    }
  };

  try {
    await worker.runUntil(async () => {
      await scenario('scenario-a', 'A', {});
      await scenario('scenario-b', 'B', {});
      await scenario('paused-resumed', 'A', { autoApprove: false }, async (h) => {
        await until(h, 'the approval gate', (s) => s.awaitingGate === 'migrate');
        await h.executeUpdate(pauseUpdate);
        await h.executeUpdate(approveUpdate, { args: ['migrate'] });
        await until(h, 'the pause to hold', (s) => s.paused && s.phase !== 'approval-gate');
        await h.executeUpdate(resumeUpdate);
      });
      await scenario('rejected', 'A', { autoApprove: false }, async (h) => {
        await until(h, 'the approval gate', (s) => s.awaitingGate === 'migrate');
        await h.executeUpdate(rejectUpdate, { args: ['migrate', 'recorded rejection'] });
      });
      // A short history limit: the parent continues as new during the plan's user fan-out.
      await scenario('continued', 'A', { historyEventsBeforeContinueAsNew: 120 });
    });
    writeFileSync(IDS_FILE, `${JSON.stringify(workflowIds, null, 2)}\n`);
  } finally {
    await temporal.close();
    await stack.stop();
  }
  console.log(`recorded ${saved.length} histories in ${OUT}: ${saved.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
