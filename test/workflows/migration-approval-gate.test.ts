/**
 * The approval gate: without auto-approve the run stops at gate "migrate" with its plan,
 * writes nothing of the real pass while it waits, continues on approve and stops on reject.
 * Approving a gate that is not awaited is refused by the update's validator.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { totalWrites } from '../../src/report/counters';
import { testAwsClients } from '../support/aws';
import { writesOf } from '../support/reference';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForStatus, type BackgroundWorker, type MigrationHandle } from '../support/workflowControl';
import { approveUpdate, planQuery, rejectUpdate, reportQuery } from '../../workflows/messages';
import type { MigrationStatus } from '../../workflows/types';

describe('approval gate', () => {
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

  /** Seeds, starts without auto-approve and waits at gate "migrate". */
  async function startAtGate(): Promise<{ seeded: SeededDeployment; handle: MigrationHandle; before: DeploymentSnapshot; atGate: MigrationStatus }> {
    const seeded = await seedDeployment(clients, { scenario: 'A', users: 4 });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ autoApprove: false }));
    const before = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    const handle = await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`);
    const atGate = await waitForStatus(handle, (s) => s.awaitingGate === 'migrate', 'gate "migrate" awaited');
    return { seeded, handle, before, atGate };
  }

  describe('approved', () => {
    let seeded: SeededDeployment;
    let handle: MigrationHandle;
    let before: DeploymentSnapshot;
    let atGate: MigrationStatus;

    beforeAll(async () => {
      ({ seeded, handle, before, atGate } = await startAtGate());
    });

    it('waits at gate "migrate" with the plan of this run', async () => {
      expect(atGate.phase).toBe('approval-gate');
      const plan = await handle.query(planQuery);
      expect(plan).toBeDefined();
      expect(totalWrites(plan!)).toBeGreaterThan(0);
      expect(plan!.tables.CONVERSATION_METADATA_TABLE?.itemsWritten).toBe(4 * seeded.sample.options.objectsPerUser);
      expect(await handle.query(reportQuery)).toBeUndefined();
    });

    it('has written nothing of the real pass while it waits', async () => {
      const now = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
      expect(snapshotDiff(before, now)).toEqual({});
    });

    it('refuses to approve or reject a gate that is not awaited', async () => {
      await expect(handle.executeUpdate(approveUpdate, { args: ['cleanup'] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(approveUpdate, { args: ['ssm'] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(rejectUpdate, { args: ['cleanup', 'no'] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      // Still waiting at the same gate.
      expect((await waitForStatus(handle, () => true, 'status')).awaitingGate).toBe('migrate');
    });

    it('continues on approve and completes the migration', async () => {
      const status = await handle.executeUpdate(approveUpdate, { args: ['migrate'] });
      expect(status.phase).toBe('approval-gate');
      const report = await handle.result();
      expect(report.totals.problems).toEqual([]);
      expect(report.outcome).toBe('succeeded');
      expect(report.users).toEqual({ total: 4, done: 4, failed: 0, failedUsers: [] });
      expect(report.verification?.problems).toEqual([]);
      // The plan was the dry run of exactly this run: the same writes, item for item and object for object.
      expect(writesOf({ ...report, totals: report.plan! })).toEqual(writesOf(report));
      const after = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
      expect(Object.keys(snapshotDiff(before, after))).toContain('CONVERSATION_METADATA_TABLE');
    });
  });

  describe('rejected', () => {
    let seeded: SeededDeployment;
    let handle: MigrationHandle;
    let before: DeploymentSnapshot;

    beforeAll(async () => {
      ({ seeded, handle, before } = await startAtGate());
    });

    it('stops with outcome "rejected", naming the gate and the reason', async () => {
      const status = await handle.executeUpdate(rejectUpdate, { args: ['migrate', 'plan has too many conflicts'] });
      expect(status.rejected).toEqual({ gate: 'migrate', reason: 'plan has too many conflicts' });
      const report = await handle.result();
      expect(report.outcome).toBe('rejected');
      expect(report.rejected).toEqual({ gate: 'migrate', reason: 'plan has too many conflicts' });
      expect(report.users.done).toBe(0);
      expect(totalWrites(report.totals)).toBe(0);
    });

    it('has written nothing', async () => {
      const after = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
      expect(snapshotDiff(before, after)).toEqual({});
    });
  });
});
