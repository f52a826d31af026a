/**
 * Round trip on the real stack (moto + the Temporal dev server): snapshot → a migration started
 * as `start` starts it (run id in the memo, so its activities write the ledger) → revert →
 * snapshot. The per-user tables the ledger covers so far (those neither scanned once per run
 * nor part of the outsiders' references pass) are byte-identical again, typed values included.
 */
import { perUserTables, referenceTables, scannedTables } from '../../src/plan/steps';
import type { TableKey } from '../../src/deployment/catalogue';
import { migrationWorkflow } from '../../workflows/migration';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import type { MigrationReport } from '../../workflows/types';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { snapshotDeployment, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

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
    const excluded = new Set<TableKey>([...scannedTables(true), ...referenceTables(true), 'USER_DATA_STORAGE_TABLE']);
    covered = [...new Set(users.flatMap((u) => perUserTables(u)))].filter((t) => !excluded.has(t));
    const runId = `rt${Date.now()}`;
    const input = await migrationInput(clients, seeded.deployment, users, testOptions({ skipBackups: true }), runId);
    before = await snapshotDeployment(clients, seeded.deployment);
    const worker = await temporal.startWorker({ clients });
    await worker.runUntil(async () => {
      report = await temporal.client.workflow.execute(migrationWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `migration-${seeded.deployment.depName}-dev`,
        args: [input],
        memo: { runId },
      });
      migrated = await snapshotDeployment(clients, seeded.deployment);
      revert = await temporal.client.workflow.execute(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${seeded.deployment.depName}-dev`,
        args: [{ runId, deployment: seeded.deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      });
    });
    after = await snapshotDeployment(clients, seeded.deployment);
  });
  afterAll(async () => temporal?.close());

  it('the migration changed the covered tables, and the revert undid every ledger step without conflicts', () => {
    expect(report.outcome).toBe('succeeded');
    expect(covered.length).toBeGreaterThan(5);
    expect(covered.filter((t) => migrated.tables[t].join('\n') !== before.tables[t].join('\n')).length).toBeGreaterThan(0);
    expect(revert.outcome).toBe('reverted');
    expect(revert.totals!.problemCount).toBe(0);
    const undone = Object.values(revert.totals!.byWhere).reduce((n, c) => n + c.undone, 0);
    expect(undone).toBeGreaterThan(0);
  });

  it('leaves the covered tables byte-identical to before the run', () => {
    for (const table of covered) expect({ table, items: after.tables[table] }).toEqual({ table, items: before.tables[table] });
  });
});
