/**
 * Round trip on the real stack (moto + the Temporal dev server): snapshot → a migration started
 * as `start` starts it (run id in the memo, so its activities write the ledger) → revert →
 * snapshot. The per-user tables the ledger covers so far (those neither scanned once per run
 * nor part of the outsiders' references pass) are byte-identical again, typed values included.
 */
import { TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import { migrationWorkflow } from '../../workflows/migration';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import type { MigrationReport } from '../../workflows/types';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

jest.setTimeout(900_000);

describe('revert round trip, scenario A', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let before: DeploymentSnapshot;
  let migrated: DeploymentSnapshot;
  let after: DeploymentSnapshot;
  let report: MigrationReport;
  let revert: RevertReport;
  let covered: TableKey[];

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4 });
    const users = seeded.sample.users;
    covered = [...TABLE_KEYS];
    const runId = `rt${Date.now()}`;
    const input = await migrationInput(clients, seeded.deployment, users, testOptions({ skipBackups: true }), runId);
    // The run's own artifacts (id map claim check, ledger, report) are left out: they are not data.
    const snapshot = () => snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    before = await snapshot();
    const worker = await temporal.startWorker({ clients });
    await worker.runUntil(async () => {
      report = await temporal.client.workflow.execute(migrationWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `migration-${seeded.deployment.depName}-dev`,
        args: [input],
        memo: { runId },
      });
      migrated = await snapshot();
      revert = await temporal.client.workflow.execute(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${seeded.deployment.depName}-dev`,
        args: [{ runId, deployment: seeded.deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      });
    });
    after = await snapshot();
  });
  afterAll(async () => temporal?.close());

  it('the migration changed the covered tables, and the revert undid every ledger step without conflicts', () => {
    expect(report.outcome).toBe('succeeded');
    expect(covered.length).toBeGreaterThan(5);
    expect(covered.filter((t) => migrated.tables[t].join('\n') !== before.tables[t].join('\n')).length).toBeGreaterThan(0);
    expect(revert.outcome).toBe('reverted');
    expect(revert.totals!.problems).toEqual([]);
    expect(revert.totals!.problemCount).toBe(0);
    const undone = Object.values(revert.totals!.byWhere).reduce((n, c) => n + c.undone, 0);
    expect(undone).toBeGreaterThan(0);
  });

  it('leaves every table byte-identical to before the run, typed values included', () => {
    for (const table of covered) expect({ table, items: after.tables[table] }).toEqual({ table, items: before.tables[table] });
  });

  it('leaves every bucket as before: the copies and archives the run made are gone, the consolidation bucket keeps its own objects', () => {
    const consolidation = seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    expect(Object.keys(migrated.buckets.S3_CONSOLIDATION_BUCKET_NAME).length).toBeGreaterThan(Object.keys(before.buckets.S3_CONSOLIDATION_BUCKET_NAME).length);
    expect(revert.totals!.byWhere[consolidation]?.undone ?? 0).toBeGreaterThan(0);
    expect(snapshotDiff(before, after)).toEqual({});
  });
});
