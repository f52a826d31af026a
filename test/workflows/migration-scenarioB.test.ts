/**
 * Scenario B end to end: the CSV keeps every id (new id = old id). Only the "always" steps
 * do anything: objects are copied into the consolidation layout, pointers follow them,
 * legacy rows become USER_DATA_STORAGE items. No key moves and nothing is deleted.
 */
import { TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import { TABLE_RULES } from '../../src/rules';
import { tableSchema } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import { testAwsClients } from '../support/aws';
import { canonical, scanAll } from '../support/emulator';
import { migrationInput, runMigration, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { copyProblems, expectedCopies } from '../support/s3Expectations';
import { objectsLostOrChanged, RUN_ARTIFACT_PREFIXES, snapshotDeployment, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { MigrationReport } from '../../workflows/types';

/** Tables an "always" rule may rewrite in place (pointers, unwrapped descriptors) even when no id changes. */
const ALWAYS_TABLES = new Set<TableKey>(TABLE_RULES.filter((r) => r.when === 'always').map((r) => r.table));

function primaryKey(table: TableKey, item: Item): string {
  const schema = tableSchema(table);
  return canonical(Object.fromEntries([schema.hash.name, ...(schema.range ? [schema.range.name] : [])].map((k) => [k, item[k]])) as Item);
}

describe('scenario B end to end (same id on both sides)', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let before: DeploymentSnapshot;
  let after: DeploymentSnapshot;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'B', users: 6 });
    expect(seeded.sample.users.every((u) => u.oldId === u.newId)).toBe(true);
    const worker = await temporal.startWorker({ clients });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions());
    before = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    report = await runMigration(temporal, worker, input, `migration-${seeded.deployment.depName}-dev`);
    after = await snapshotDeployment(clients, seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
  });
  afterAll(async () => temporal?.close());

  it('succeeds with every user done and verification clean', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.verification?.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: 6, done: 6, failed: 0, failedUsers: [] });
    expect(report.totals.tables.USER_DATA_STORAGE_TABLE?.itemsWritten ?? 0).toBeGreaterThan(0);
  });

  it('leaves every item of every id-change and unruled table byte-identical', () => {
    const compared: TableKey[] = [];
    for (const table of TABLE_KEYS) {
      if (table === 'USER_DATA_STORAGE_TABLE' || ALWAYS_TABLES.has(table)) continue;
      compared.push(table);
      expect({ table, items: after.tables[table] }).toEqual({ table, items: before.tables[table] });
    }
    expect(compared.length).toBeGreaterThan(25);
  });

  it('keeps every item of the always-rewritten tables under its own key (nothing moved, nothing deleted)', async () => {
    for (const table of ALWAYS_TABLES) {
      const keysBefore = before.tables[table].map((text) => primaryKey(table, JSON.parse(text) as Item)).sort();
      const keysAfter = (await scanAll(clients, seeded.deployment.tables[table])).map((item) => primaryKey(table, item)).sort();
      expect({ table, keys: keysAfter }).toEqual({ table, keys: keysBefore });
    }
  });

  it('deletes and overwrites no object anywhere', () => {
    expect(objectsLostOrChanged(before, after)).toEqual([]);
  });

  it('copies every per-user legacy object into the consolidation layout with identical bytes', async () => {
    const copies = expectedCopies(seeded.sample.objects, seeded.sample.users);
    const conversations = copies.filter((c) => c.sourceName === 'conversations');
    const migrated = new Set(seeded.sample.users.map((u) => u.oldId));
    const legacyConversations = seeded.sample.objects.filter((o) => o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME' && migrated.has(o.owner ?? ''));
    expect(conversations.length).toBe(6 * seeded.sample.options.objectsPerUser);
    expect(conversations.map((c) => c.source.key).sort()).toEqual(legacyConversations.map((o) => o.key).sort());
    for (const c of conversations) expect(c.destinationKey).toBe(`conversations/${c.source.key}`);
    expect(await copyProblems(clients, seeded.deployment, copies)).toEqual([]);
  });
});
