import { TABLE_KEYS, NOT_MIGRATED_TABLES, type TableKey } from '../../src/deployment/catalogue';
import { testAwsClients } from '../support/aws';
import { canonical, scanAll } from '../support/emulator';
import { migrationInput, runMigration, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { expectedOutsiderItem } from '../support/outsiders';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { MigrationReport } from '../../workflows/types';

describe('scenario A end to end (email ids → immutable usernames)', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A' });
    const worker = await temporal.startWorker({ clients });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions());
    report = await runMigration(temporal, worker, input, `migration-${seeded.deployment.depName}-dev`);
  });
  afterAll(async () => temporal?.close());

  it('succeeds, with every user migrated and verification clean', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.verification?.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: seeded.sample.users.length, done: seeded.sample.users.length, failed: 0, failedUsers: [] });
    expect(report.verification?.oldIdsLeft).toBe(0);
    expect(report.verification?.objectsMissing).toBe(0);
  });

  it('leaves the items of users outside the CSV byte-identical, but for the tokens naming migrated users', async () => {
    const outsiders = new Set(seeded.sample.outsiders);
    const byTable = new Map<TableKey, string[]>();
    for (const { table, item, owner } of seeded.sample.items) {
      const expected = canonical(expectedOutsiderItem(table, item, seeded.sample.users));
      if (owner && outsiders.has(owner)) byTable.set(table, [...(byTable.get(table) ?? []), expected]);
    }
    expect(byTable.size).toBeGreaterThan(5);
    for (const [table, expected] of byTable) {
      const stored = new Set((await scanAll(clients, seeded.deployment.tables[table])).map(canonical));
      for (const item of expected) expect({ table, present: stored.has(item), item }).toEqual({ table, present: true, item });
    }
  });

  it('leaves never-migrated tables untouched', async () => {
    for (const table of Object.keys(NOT_MIGRATED_TABLES) as TableKey[]) {
      const expected = seeded.sample.items.filter((i) => i.table === table).map((i) => canonical(i.item)).sort();
      const stored = (await scanAll(clients, seeded.deployment.tables[table])).map(canonical).sort();
      expect(stored).toEqual(expected);
    }
  });

  it('moves items rather than copying them: every table keeps its item count (user-data-storage only grows)', async () => {
    for (const table of TABLE_KEYS) {
      const seededCount = seeded.sample.items.filter((i) => i.table === table).length;
      const stored = (await scanAll(clients, seeded.deployment.tables[table])).length;
      if (table === 'USER_DATA_STORAGE_TABLE') expect(stored).toBeGreaterThan(seededCount);
      else if (table === 'OLD_USER_STORAGE_TABLE') expect(stored).toBe(seeded.sample.oldUserStorageItems.length);
      else expect({ table, stored }).toEqual({ table, stored: seededCount });
    }
  });
});
