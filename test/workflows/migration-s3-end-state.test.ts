/**
 * Scenario A, S3 end state: every legacy object of a migrated user has an identical copy
 * (bytes, content type, metadata) at the key the layout maps it to, the legacy object is
 * still there, and the pointers the run rewrote name objects that exist.
 */
import { getString, type Item } from '../../src/dynamo/attributeValue';
import { testAwsClients } from '../support/aws';
import { objectExists, scanAll } from '../support/emulator';
import { migrationInput, runMigration, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { copyProblems, expectedCopies, type ExpectedCopy } from '../support/s3Expectations';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { MigrationReport } from '../../workflows/types';

describe('scenario A: exact S3 end state', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let report: MigrationReport;
  let copies: ExpectedCopy[];

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 5 });
    const worker = await temporal.startWorker({ clients });
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions());
    report = await runMigration(temporal, worker, input, `migration-${seeded.deployment.depName}-dev`);
    const migrated = new Set(seeded.sample.users.map((u) => u.oldId));
    copies = expectedCopies(
      seeded.sample.objects.filter((o) => o.owner !== undefined && migrated.has(o.owner)),
      seeded.sample.users,
    );
  });
  afterAll(async () => temporal?.close());

  it('succeeds', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
  });

  it('maps every migrated user\'s legacy object to a key under the new id', () => {
    const perUser = copies.filter((c) => ['conversations', 'agentState', 'codeInterpreter'].includes(c.sourceName));
    expect(perUser.length).toBe(5 * seeded.sample.options.objectsPerUser * 4); // conversations 1, agent state 2, code interpreter 1 per slot
    const newIdOf = new Map(seeded.sample.users.map((u) => [u.oldId, u.newId]));
    for (const c of perUser) {
      const newId = newIdOf.get(c.source.owner!)!;
      expect(newId).not.toBe(c.source.owner);
      expect({ key: c.destinationKey, underNewId: c.destinationKey.includes(`/${newId}/`) }).toEqual({ key: c.destinationKey, underNewId: true });
      expect(c.destinationKey).not.toContain(c.source.owner!);
    }
  });

  it('copies each of them with identical bytes, content type and metadata, and keeps the legacy object', async () => {
    expect(await copyProblems(clients, seeded.deployment, copies)).toEqual([]);
  });

  it('covers keys with spaces, "+" and non-ASCII characters', () => {
    const keys = copies.map((c) => c.source.key);
    expect(keys.some((k) => k.includes(' '))).toBe(true);
    expect(keys.some((k) => k.includes('+'))).toBe(true);
    expect(keys.some((k) => /[^\x00-\x7f]/.test(k))).toBe(true);
  });

  it('rewrites conversation s3_key pointers to objects that exist in the consolidation bucket', async () => {
    const bucket = seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const newIds = new Set(seeded.sample.users.map((u) => u.newId));
    const rows = (await scanAll(clients, seeded.deployment.tables.CONVERSATION_METADATA_TABLE)).filter((i) => newIds.has(getString(i, 'user_id') ?? ''));
    expect(rows.length).toBe(5 * seeded.sample.options.objectsPerUser);
    for (const row of rows) {
      const key = getString(row, 's3_key')!;
      expect({ key, prefixed: key.startsWith(`conversations/${getString(row, 'user_id')}/`), exists: await objectExists(clients, bucket, key) }).toEqual({
        key,
        prefixed: true,
        exists: true,
      });
    }
  });

  it('rewrites agent-state memory.key pointers to objects that exist in the consolidation bucket', async () => {
    const bucket = seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const newIds = new Set(seeded.sample.users.map((u) => u.newId));
    const rows = (await scanAll(clients, seeded.deployment.tables.AGENT_STATE_DYNAMODB_TABLE)).filter((i) => newIds.has(getString(i, 'user') ?? ''));
    expect(rows.length).toBe(5 * seeded.sample.options.objectsPerUser);
    for (const row of rows) {
      const memory = (row.memory as { M: Item }).M;
      const key = getString(memory, 'key')!;
      expect({ key, bucket: memory.bucket, exists: await objectExists(clients, bucket, key) }).toEqual({ key, bucket: undefined, exists: true });
      expect(key.startsWith(`agentState/${getString(row, 'user')}/`)).toBe(true);
    }
  });
});
