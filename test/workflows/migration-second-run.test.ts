/** Re-running a finished migration with the same inputs changes nothing and says so. */
import { totalWrites } from '../../src/report/counters';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, type BackgroundWorker } from '../support/workflowControl';
import type { MigrationReport } from '../../workflows/types';

describe('second run of a finished migration', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;
  let seeded: SeededDeployment;
  let first: MigrationReport;
  let second: MigrationReport;
  let afterFirst: DeploymentSnapshot;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4 });
    const workflowId = `migration-${seeded.deployment.depName}-dev`;
    const run = async (runId: string) => {
      const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions(), runId);
      return (await startMigration(temporal, input, workflowId)).result();
    };
    first = await run('first');
    afterFirst = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    // Same workflow id: allowed once the first run is closed.
    second = await run('second');
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  it('the first run migrates', () => {
    expect(first.totals.problems).toEqual([]);
    expect(first.outcome).toBe('succeeded');
    expect(totalWrites(first.totals)).toBeGreaterThan(0);
  });

  it('the second run succeeds and reports zero items written and zero objects copied', () => {
    expect(second.totals.problems).toEqual([]);
    expect(second.outcome).toBe('succeeded');
    expect(second.verification?.problems).toEqual([]);
    const written = Object.entries(second.totals.tables).filter(([, c]) => c.itemsWritten > 0 || c.itemsMoved > 0);
    const copied = Object.entries(second.totals.buckets).filter(([, c]) => c.objectsCopied > 0);
    expect({ written, copied }).toEqual({ written: [], copied: [] });
    expect(totalWrites(second.totals)).toBe(0);
    expect(totalWrites(second.plan!)).toBe(0);
    expect(second.users).toEqual({ total: 4, done: 4, failed: 0, failedUsers: [] });
  });

  it('leaves the end state of the first run unchanged', async () => {
    const afterSecond = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    expect(snapshotDiff(afterFirst, afterSecond)).toEqual({});
  });
});
