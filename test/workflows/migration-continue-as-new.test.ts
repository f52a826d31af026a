/**
 * With a low history threshold the parent continues as new in the middle of the users
 * phase (children report to it by workflow id across runs); the outcome and end state are
 * those of a run that never continued as new.
 */
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { referenceRun, writesOf, type ReferenceRun } from '../support/reference';
import { comparableEndState } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForNextRun, waitForStatus, type BackgroundWorker, type MigrationHandle } from '../support/workflowControl';
import { pauseUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';
import type { MigrationReport } from '../../workflows/types';

jest.setTimeout(600_000);

const USERS = 8;

describe('continue-as-new of the parent', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;
  let reference: ReferenceRun;
  let seeded: SeededDeployment;
  let handle: MigrationHandle;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
    reference = await referenceRun(clients, temporal, { scenario: 'A', users: USERS });
    seeded = await seedDeployment(clients, { scenario: 'A', users: USERS });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ historyEventsBeforeContinueAsNew: 150 }));
    handle = await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`);
    report = await handle.result();
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  it('continued as new at least once', async () => {
    expect(reference.report.continuedAsNew).toBe(0);
    expect(report.continuedAsNew).toBeGreaterThanOrEqual(1);
    const firstRun = temporal.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
    const lastRun = await temporal.client.workflow.getHandle(handle.workflowId).describe();
    expect(lastRun.runId).not.toBe(handle.firstExecutionRunId);
    expect(lastRun.status.name).toBe('COMPLETED');
  });

  it('succeeds with every user counted exactly once', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: USERS, done: USERS, failed: 0, failedUsers: [] });
    expect(report.verification?.problems).toEqual([]);
  });

  it('has the outcome, writes and end state of a run that never continued as new', async () => {
    expect(report.outcome).toBe(reference.report.outcome);
    expect(report.users).toEqual(reference.report.users);
    expect(writesOf(report)).toEqual(writesOf(reference.report));
    expect(report.plan && writesOf({ ...report, totals: report.plan })).toEqual(reference.report.plan && writesOf({ ...reference.report, totals: reference.report.plan }));
    expect(await comparableEndState(clients, seeded.deployment)).toEqual(reference.endState);
  });

  describe('while paused', () => {
    const PAUSED_USERS = 4;
    let paused: SeededDeployment;
    let pausedHandle: MigrationHandle;

    beforeAll(async () => {
      paused = await seedDeployment(clients, { scenario: 'A', users: PAUSED_USERS });
      // A threshold of 1: the parent continues as new after every user it absorbs.
      const input = await migrationInput(clients, paused.deployment, paused.sample.users, testOptions({ userConcurrency: 1, historyEventsBeforeContinueAsNew: 1 }));
      pausedHandle = await startMigration(temporal, input, `migration-${paused.deployment.depName}-dev`);
    });

    it('stays paused in the run it continued as (the pause is carried over)', async () => {
      await waitForStatus(pausedHandle, (s) => s.phase === 'users' && s.users.nextIndex >= 1 && s.users.nextIndex < PAUSED_USERS, 'a user in flight');
      const atPause = await pausedHandle.executeUpdate(pauseUpdate);
      const runAtPause = (await temporal.client.workflow.getHandle(pausedHandle.workflowId).describe()).runId;
      // The in-flight user finishes; absorbing it continues the parent as new.
      await waitForNextRun(temporal, pausedHandle.workflowId, runAtPause);
      const after = await waitForStatus(pausedHandle, (s) => s.users.inFlight === 0 || !s.paused, 'the new run settled');
      expect({ paused: after.paused, inFlight: after.users.inFlight, nextIndex: after.users.nextIndex }).toEqual({
        paused: true,
        inFlight: 0,
        nextIndex: atPause.users.nextIndex,
      });
      expect((await pausedHandle.query(statusQuery)).users.nextIndex).toBe(atPause.users.nextIndex);
    });

    it('completes on resume', async () => {
      await pausedHandle.executeUpdate(resumeUpdate);
      const result = await pausedHandle.result();
      expect(result.totals.problems).toEqual([]);
      expect(result.outcome).toBe('succeeded');
      expect(result.users).toEqual({ total: PAUSED_USERS, done: PAUSED_USERS, failed: 0, failedUsers: [] });
      expect(result.continuedAsNew).toBeGreaterThan(PAUSED_USERS);
    });
  });
});
