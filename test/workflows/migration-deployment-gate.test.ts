/**
 * The deployment gate: with the consolidation bucket and the user-data-storage table missing
 * (new amplify-lambda not deployed yet) the run waits, says what to deploy, writes nothing;
 * once both exist and the operator sends "deployed", it completes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBucket, createTable } from '../../client/seed/provision';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { copyProblems, expectedCopies } from '../support/s3Expectations';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForStatus, type BackgroundWorker, type MigrationHandle } from '../support/workflowControl';
import { deployedSignal } from '../../workflows/messages';
import type { MigrationInput, MigrationStatus } from '../../workflows/types';

describe('deployment gate', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;
  let seeded: SeededDeployment;
  let input: MigrationInput;
  let handle: MigrationHandle;
  let before: DeploymentSnapshot;
  let waiting: MigrationStatus;

  beforeAll(async () => {
    // The old user-storage table is exported before the consolidation bucket exists: to a
    // local folder of the (in-process) worker that does not exist yet.
    process.env.AMPLIFY_MIGRATE_EXPORT_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'amplify-migrate-')), 'exports');
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4 }, { withoutTargets: true });
    // A poll interval longer than the test: only the "deployed" signal can release the gate.
    input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ deploymentPollSeconds: 3600 }));
    before = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    handle = await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`);
    waiting = await waitForStatus(handle, (s) => s.phase === 'deployment-gate' && s.waitingFor !== undefined, 'waiting at the deployment gate');
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  it('carries the id map inline (the claim-check bucket does not exist yet)', () => {
    expect(input.idMapRef).toBeUndefined();
    expect(input.idMapPairs).toEqual(seeded.sample.users);
  });

  it('waits in phase "deployment-gate", naming what is missing', () => {
    expect(waiting.phase).toBe('deployment-gate');
    expect(waiting.waitingFor).toMatch(/S3_CONSOLIDATION_BUCKET_NAME/);
    expect(waiting.waitingFor).toMatch(/USER_DATA_STORAGE_TABLE/);
    expect(waiting.users.done).toBe(0);
  });

  it('writes nothing while it waits', async () => {
    const now = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    expect(snapshotDiff(before, now)).toEqual({});
  });

  it('completes once the bucket and the table exist and "deployed" is signalled', async () => {
    await createBucket(clients, seeded.deployment, 'S3_CONSOLIDATION_BUCKET_NAME');
    await createTable(clients, seeded.deployment, 'USER_DATA_STORAGE_TABLE');
    await handle.signal(deployedSignal);
    const report = await handle.result();
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: 4, done: 4, failed: 0, failedUsers: [] });
    expect(report.verification?.problems).toEqual([]);
    expect(report.totals.tables.USER_DATA_STORAGE_TABLE?.itemsWritten ?? 0).toBeGreaterThan(0);
    expect(report.export?.location.startsWith(process.env.AMPLIFY_MIGRATE_EXPORT_DIR!)).toBe(true);
    expect(report.export?.items).toBe(seeded.sample.oldUserStorageItems.length);
    const migrated = new Set(seeded.sample.users.map((u) => u.oldId));
    const copies = expectedCopies(seeded.sample.objects.filter((o) => migrated.has(o.owner ?? '')), seeded.sample.users);
    expect(copies.length).toBeGreaterThan(0);
    expect(await copyProblems(clients, seeded.deployment, copies)).toEqual([]);
  });
});
