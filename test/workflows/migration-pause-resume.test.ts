/**
 * Pause stops new work at the next safe point (no new user child starts, the ones in flight
 * finish); resume continues; the end state equals that of a run never paused.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { referenceRun, writesOf, type ReferenceRun } from '../support/reference';
import { comparableEndState } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForStatus, type BackgroundWorker, type MigrationHandle } from '../support/workflowControl';
import { approveUpdate, pauseUpdate, resumeUpdate } from '../../workflows/messages';
import type { MigrationReport, MigrationStatus } from '../../workflows/types';

const USERS = 5;

describe('pause and resume', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;
  let reference: ReferenceRun;
  let seeded: SeededDeployment;
  let handle: MigrationHandle;
  let workflowId: string;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
    reference = await referenceRun(clients, temporal, { scenario: 'A', users: USERS }, { userConcurrency: 1 });
    seeded = await seedDeployment(clients, { scenario: 'A', users: USERS });
    // Without auto-approve, every "users" phase after the approval is the real pass.
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ userConcurrency: 1, autoApprove: false }));
    workflowId = `migration-${seeded.deployment.depName}-dev`;
    handle = await startMigration(temporal, input, workflowId);
    await waitForStatus(handle, (s) => s.awaitingGate === 'migrate', 'gate "migrate" awaited');
    await handle.executeUpdate(approveUpdate, { args: ['migrate'] });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  let paused: MigrationStatus;

  it('stops starting users once paused, while the one in flight finishes', async () => {
    await waitForStatus(handle, (s) => s.phase === 'users' && s.users.nextIndex >= 1, 'the first user started');
    const acknowledged = await handle.executeUpdate(pauseUpdate);
    expect(acknowledged.paused).toBe(true);
    paused = await waitForStatus(handle, (s) => s.users.inFlight === 0, 'the in-flight user finished');
    expect(paused.paused).toBe(true);
    expect(paused.phase).toBe('users');
    expect(paused.users.nextIndex).toBeLessThan(USERS);
    expect(paused.users.done + paused.users.failed).toBe(paused.users.nextIndex);
    // The next user's child workflow was never started.
    await expect(temporal.client.workflow.getHandle(`${workflowId}/run/u${paused.users.nextIndex}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const again = await waitForStatus(handle, () => true, 'status');
    expect(again.users.nextIndex).toBe(paused.users.nextIndex);
  });

  let report: MigrationReport;

  it('continues on resume and completes', async () => {
    const resumed = await handle.executeUpdate(resumeUpdate);
    expect(resumed.paused).toBe(false);
    report = await handle.result();
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: USERS, done: USERS, failed: 0, failedUsers: [] });
    expect(report.verification?.problems).toEqual([]);
  });

  it('ends in the same state as a run that was never paused', async () => {
    expect(reference.report.outcome).toBe('succeeded');
    expect(writesOf(report)).toEqual(writesOf(reference.report));
    expect(await comparableEndState(clients, seeded.deployment)).toEqual(reference.endState);
  });
});
