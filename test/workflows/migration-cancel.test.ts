/**
 * Cancellation is graceful: the migration stops, and the per-user children it had in flight
 * (started to outlive a continue-as-new, so not cancelled by Temporal on their own) are
 * cancelled too instead of running on unobserved.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions } from '../support/migration';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForStatus, type BackgroundWorker } from '../support/workflowControl';

describe('cancelling a migration', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  it('ends the parent as cancelled and cancels the children in flight', async () => {
    const seeded = await seedDeployment(clients, { scenario: 'A', users: 6 });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ userConcurrency: 3 }));
    const workflowId = `migration-${seeded.deployment.depName}-dev`;
    const handle = await startMigration(temporal, input, workflowId);
    await waitForStatus(handle, (s) => s.phase === 'users' && s.users.inFlight > 0, 'users in flight');

    await handle.cancel();
    const error = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');

    // Every child this run started has ended; none is left running unobserved.
    const children: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}/plan/u"` })) children.push(wf.workflowId);
    expect(children.length).toBeGreaterThan(0);
    for (const id of children) {
      let status = (await temporal.client.workflow.getHandle(id).describe()).status.name;
      for (let i = 0; status === 'RUNNING' && i < 300; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await temporal.client.workflow.getHandle(id).describe()).status.name;
      }
      expect({ id, status }).not.toEqual({ id, status: 'RUNNING' });
    }
  });
});
