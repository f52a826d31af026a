/**
 * A dry run reads what it needs and writes nothing anywhere: every table and every bucket
 * (run artifacts included) is byte-identical afterwards, no backup exists, and the report
 * carries the plan a real run would execute.
 */
import { ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import { totalWrites } from '../../src/report/counters';
import { testAwsClients } from '../support/aws';
import { migrationInput, runMigration, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { MigrationReport } from '../../workflows/types';

describe('dry run', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let before: DeploymentSnapshot;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4 });
    const worker = await temporal.startWorker({ clients });
    // The claim check is the client's write, before the run: it is part of "before".
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ dryRun: true, autoApprove: false }));
    before = await snapshotDeployment(clients, seeded.deployment);
    report = await runMigration(temporal, worker, input, `migration-${seeded.deployment.depName}-dev`);
  });
  afterAll(async () => temporal?.close());

  it('reports a dry run with the plan of a real run', () => {
    expect(report.outcome).toBe('dry-run');
    expect(report.dryRun).toBe(true);
    expect(report.plan).toBeDefined();
    expect(report.totals).toEqual(report.plan);
    expect(totalWrites(report.plan!)).toBeGreaterThan(0);
    expect(report.plan!.tables.CONVERSATION_METADATA_TABLE?.itemsWritten).toBe(4 * seeded.sample.options.objectsPerUser);
    expect(report.plan!.buckets.S3_CONVERSATIONS_BUCKET_NAME?.objectsCopied).toBe(4 * seeded.sample.options.objectsPerUser);
    expect(report.plan!.failureCount).toBe(0);
    expect(report.users).toEqual({ total: 4, done: 4, failed: 0, failedUsers: [] });
  });

  it('writes nothing to any table or bucket', async () => {
    const after = await snapshotDeployment(clients, seeded.deployment);
    expect(snapshotDiff(before, after)).toEqual({});
  });

  it('takes no backup', async () => {
    expect(report.backups).toEqual([]);
    expect(report.backupsSkipped).toBe(true);
    const listed = await clients.dynamo.send(new ListBackupsCommand({}));
    const ours = (listed.BackupSummaries ?? []).filter((b) => Object.values(seeded.deployment.tables).includes(b.TableName ?? ''));
    expect(ours).toEqual([]);
  });
});
