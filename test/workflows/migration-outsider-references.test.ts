/**
 * Issue 10 §1: users outside the CSV who deal with migrated users (share with them, are
 * shared with, have their files edited by them, list them as senders …). Adversarial ids on
 * both sides: the outsiders bob@example.edu.au, zoë@example.edu.au and
 * alice+test@example.edu.au extend the migrated bob@example.edu, zoë@example.edu and
 * alice+test@example.edu, and each deals with exactly that one.
 */
import { TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import { ADVERSARIAL_OUTSIDER_IDS } from '../../src/seed';
import { referencesRow } from '../../src/plan/steps';
import { totalWrites } from '../../src/report/counters';
import { testAwsClients } from '../support/aws';
import { canonical, scanAll } from '../support/emulator';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { expectedOutsiderItem, oldIdsIn, TABLES_KEEPING_OLD_IDS } from '../support/outsiders';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, type BackgroundWorker } from '../support/workflowControl';
import type { MigrationReport } from '../../workflows/types';

describe("references to migrated users in outsiders' items (scenario A)", () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let worker: BackgroundWorker;
  let seeded: SeededDeployment;
  let first: MigrationReport;
  let second: MigrationReport;
  let afterFirst: DeploymentSnapshot;
  let afterSecond: DeploymentSnapshot;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    worker = runInBackground(await temporal.startWorker({ clients }));
    // The four adversarial migrated ids; the three outsiders' contacts are among them.
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4, outsiders: 3 });
    expect(seeded.sample.outsiders).toEqual([...ADVERSARIAL_OUTSIDER_IDS]);
    const workflowId = `migration-${seeded.deployment.depName}-dev`;
    const run = async (runId: string) => {
      const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions(), runId);
      return (await startMigration(temporal, input, workflowId)).result();
    };
    first = await run('first');
    afterFirst = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    second = await run('second');
    afterSecond = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    // Two whole migrations (plan + run each) on the emulator: longer than one run's default.
  }, 420_000);
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
  });

  it('succeeds, verification clean, the references pass in its own report and plan rows', () => {
    expect(first.totals.problems).toEqual([]);
    expect(first.verification?.problems).toEqual([]);
    expect(first.verification?.oldIdsLeft).toBe(0);
    expect(first.outcome).toBe('succeeded');
    const row = (t: TableKey) => first.totals.tables[referencesRow(t)];
    // Each outsider's artifacts row and share record name his migrated contact; one file of each was edited by him.
    for (const table of ['ARTIFACTS_DYNAMODB_TABLE', 'SHARES_DYNAMODB_TABLE', 'FILES_DYNAMO_TABLE'] as const) {
      expect({ table, written: row(table)?.itemsWritten, conflicts: row(table)?.conflicts }).toEqual({ table, written: 3, conflicts: 0 });
      expect(first.plan?.tables[referencesRow(table)]?.itemsWritten).toBe(3);
    }
    expect(row('ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE')?.itemsWritten).toBe(0);
  });

  it('leaves no token naming a migrated user in any table, except the attributes that keep the old id by design', async () => {
    const left: string[] = [];
    for (const table of TABLE_KEYS.filter((t) => !TABLES_KEEPING_OLD_IDS.has(t))) {
      for (const item of await scanAll(clients, seeded.deployment.tables[table])) left.push(...oldIdsIn(table, item, seeded.sample.users));
    }
    expect(left).toEqual([]);
  });

  it("maps exactly those tokens in every outsider's item; everything else byte-identical", async () => {
    const outsiders = new Set(seeded.sample.outsiders);
    const stored = new Map<TableKey, Set<string>>();
    let changed = 0;
    for (const { table, item, owner } of seeded.sample.items) {
      if (!owner || !outsiders.has(owner)) continue;
      if (!stored.has(table)) stored.set(table, new Set((await scanAll(clients, seeded.deployment.tables[table])).map(canonical)));
      const expected = canonical(expectedOutsiderItem(table, item, seeded.sample.users));
      if (expected !== canonical(item)) changed++;
      expect({ table, present: stored.get(table)!.has(expected), expected }).toEqual({ table, present: true, expected });
    }
    // Per outsider: artifacts, shares, a file, an object grant, a delegate key, a lookup path, email senders, the UDS shared artifact.
    expect(changed).toBeGreaterThanOrEqual(3 * 6);
  });

  it('a second run writes nothing and changes nothing', () => {
    expect(second.outcome).toBe('succeeded');
    expect(second.totals.problems).toEqual([]);
    const written = Object.entries(second.totals.tables).filter(([, c]) => c.itemsWritten > 0 || c.itemsMoved > 0);
    expect(written).toEqual([]);
    expect(totalWrites(second.totals)).toBe(0);
    expect(snapshotDiff(afterFirst, afterSecond)).toEqual({});
  });

  /**
   * Re-running a finished migration with the same inputs changes nothing and says so. (These
   * were migration-second-run.test.ts, which ran the same two migrations of its own: a
   * scenario A deployment of 4 users run twice under one workflow id. Here the deployment has
   * the three adversarial outsiders besides.)
   */
  describe('second run of a finished migration', () => {
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
      const now = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
      expect(snapshotDiff(afterFirst, now)).toEqual({});
    });
  });
});
