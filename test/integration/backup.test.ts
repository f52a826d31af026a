import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteBackupCommand, PutItemCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createBackupOperations, listTableBackups } from '../../activities/backup';
import { createBucket, createTable } from '../../client/seed/provision';
import { fromExportLine, type TableRef } from '../../src/backup';
import { buildDeployment, type TableKey } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import { testAwsClients, uniqueDepName } from '../support/aws';

describe('backup operations on the moto server', () => {
  const clients = testAwsClients();
  const deployment = buildDeployment({ depName: uniqueDepName('bk'), stage: 'dev' });
  const { depName, stage } = deployment;
  const backup = createBackupOperations(clients);
  const ref = (key: TableKey): TableRef => ({ key, name: deployment.tables[key] });
  const backedUp = [ref('ACCOUNTS_DYNAMO_TABLE'), ref('AGENT_STATE_DYNAMODB_TABLE'), ref('SHARES_DYNAMODB_TABLE')];
  const notBackedUp = ref('OPS_DYNAMODB_TABLE');
  const userStorage = ref('OLD_USER_STORAGE_TABLE');
  let workDir: string;

  beforeAll(async () => {
    for (const { key } of [...backedUp, notBackedUp, userStorage]) await createTable(clients, deployment, key);
    await createBucket(clients, deployment, 'S3_CONSOLIDATION_BUCKET_NAME', true);
    await createBucket(clients, deployment, 'S3_SHARE_BUCKET_NAME');
    await createBucket(clients, deployment, 'AGENT_STATE_BUCKET');
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: deployment.buckets.AGENT_STATE_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: deployment.buckets.AGENT_STATE_BUCKET, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    workDir = await mkdtemp(path.join(tmpdir(), 'backup-test-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  describe('on-demand backups', () => {
    let firstArns: string[];

    it('creates one AVAILABLE backup per table under the exact deterministic names', async () => {
      const started = await backup.startTableBackups({ tables: backedUp, depName, stage, runId: 'run:1' });
      expect(started.map(({ key, name, backupName, reused }) => ({ key, name, backupName, reused }))).toEqual([
        { key: 'ACCOUNTS_DYNAMO_TABLE', name: backedUp[0].name, backupName: `amplify-migrate-${depName}-dev-run-1-accounts`, reused: false },
        { key: 'AGENT_STATE_DYNAMODB_TABLE', name: backedUp[1].name, backupName: `amplify-migrate-${depName}-dev-run-1-agent-state`, reused: false },
        { key: 'SHARES_DYNAMODB_TABLE', name: backedUp[2].name, backupName: `amplify-migrate-${depName}-dev-run-1-shares`, reused: false },
      ]);
      firstArns = started.map((s) => s.backupArn);
      const available = await backup.waitForBackups({ arns: firstArns, pollSeconds: 0 });
      expect(available.map(({ backupArn, tableName, backupName, status }) => ({ backupArn, tableName, backupName, status }))).toEqual(
        started.map((s) => ({ backupArn: s.backupArn, tableName: s.name, backupName: s.backupName, status: 'AVAILABLE' })),
      );
      for (const table of backedUp) {
        const listed = await listTableBackups(clients, table.name);
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ tableName: table.name, status: 'AVAILABLE' });
      }
    });

    it('reuses the backups of the same run instead of creating new ones', async () => {
      const again = await backup.startTableBackups({ tables: backedUp, depName, stage, runId: 'run:1' });
      expect(again.map((s) => [s.backupArn, s.reused])).toEqual(firstArns.map((arn) => [arn, true]));
      for (const table of backedUp) expect(await listTableBackups(clients, table.name)).toHaveLength(1);
    });

    it('verifies the backed-up tables, and names the table that has none', async () => {
      const passed = await backup.verifyBackups({ tables: backedUp, depName, stage, maxAgeHours: 24 });
      expect(passed.ok).toBe(true);
      expect(passed.tables.map((t) => [t.key, t.status, t.newest?.backupArn])).toEqual(backedUp.map((t, i) => [t.key, 'ok', firstArns[i]]));

      const failed = await backup.verifyBackups({ tables: [...backedUp, notBackedUp], depName, stage, maxAgeHours: 24 });
      expect(failed.ok).toBe(false);
      expect(failed.tables.filter((t) => t.status !== 'ok')).toEqual([
        { key: 'OPS_DYNAMODB_TABLE', name: notBackedUp.name, status: 'missing', detail: `no AVAILABLE backup named amplify-migrate-${depName}-dev-…` },
      ]);
    });

    it('does not count a backup of another stage of the same deployment', async () => {
      const other = await backup.verifyBackups({ tables: backedUp, depName, stage: 'prod', maxAgeHours: 24 });
      expect(other.tables.map((t) => t.status)).toEqual(['missing', 'missing', 'missing']);
    });

    it('fails naming the table when a backup it waits for was deleted', async () => {
      const [started] = await backup.startTableBackups({ tables: [notBackedUp], depName, stage, runId: 'doomed' });
      await clients.dynamo.send(new DeleteBackupCommand({ BackupArn: started.backupArn }));
      await expect(backup.waitForBackups({ arns: [started.backupArn], pollSeconds: 0 })).rejects.toThrow(notBackedUp.name);
    });

    it('backs up a physical table once even when it is listed twice', async () => {
      const twice = [backedUp[0], { ...backedUp[0] }];
      const started = await backup.startTableBackups({ tables: twice, depName, stage, runId: 'twice' });
      expect(started).toHaveLength(1);
      expect((await listTableBackups(clients, backedUp[0].name)).filter((b) => b.backupName.endsWith('-twice-accounts'))).toHaveLength(1);
    });

    it('refuses to back up a table that does not exist, naming it', async () => {
      const missing = ref('MEMORY_DYNAMO_TABLE');
      await expect(backup.startTableBackups({ tables: [missing], depName, stage, runId: 'r' })).rejects.toThrow(
        `cannot back up table ${missing.name} (MEMORY_DYNAMO_TABLE): it does not exist`,
      );
    });
  });

  describe('protection status', () => {
    it('reports PITR per table and versioning per bucket, and enables PITR on request', async () => {
      const tables = [backedUp[0], notBackedUp, ref('MEMORY_DYNAMO_TABLE')];
      const buckets = (['S3_CONSOLIDATION_BUCKET_NAME', 'S3_SHARE_BUCKET_NAME', 'AGENT_STATE_BUCKET', 'S3_ARTIFACTS_BUCKET'] as const).map((key) => ({
        key,
        name: deployment.buckets[key],
      }));
      const before = await backup.describeProtection({ tables, buckets });
      expect(before.tables.map((t) => [t.key, t.pointInTimeRecovery])).toEqual([
        ['ACCOUNTS_DYNAMO_TABLE', 'DISABLED'],
        ['OPS_DYNAMODB_TABLE', 'DISABLED'],
        ['MEMORY_DYNAMO_TABLE', 'MISSING'],
      ]);
      expect(before.buckets).toEqual([
        { key: 'S3_CONSOLIDATION_BUCKET_NAME', name: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, versioning: 'Enabled' },
        { key: 'S3_SHARE_BUCKET_NAME', name: deployment.buckets.S3_SHARE_BUCKET_NAME, versioning: 'Disabled' },
        { key: 'AGENT_STATE_BUCKET', name: deployment.buckets.AGENT_STATE_BUCKET, versioning: 'Suspended' },
        { key: 'S3_ARTIFACTS_BUCKET', name: deployment.buckets.S3_ARTIFACTS_BUCKET, versioning: 'MISSING' },
      ]);

      expect(await backup.enablePointInTimeRecovery([backedUp[0]])).toEqual([{ ...backedUp[0], changed: true }]);
      expect(await backup.enablePointInTimeRecovery([backedUp[0]])).toEqual([{ ...backedUp[0], changed: false }]);
      const after = await backup.describeProtection({ tables: tables.slice(0, 2), buckets: [] });
      expect(after.tables.map((t) => [t.key, t.pointInTimeRecovery])).toEqual([
        ['ACCOUNTS_DYNAMO_TABLE', 'ENABLED'],
        ['OPS_DYNAMODB_TABLE', 'DISABLED'],
      ]);
      await expect(backup.enablePointInTimeRecovery([ref('MEMORY_DYNAMO_TABLE')])).rejects.toThrow('does not exist');
    });
  });

  describe('lossless user-storage export', () => {
    const items: Item[] = [
      {
        PK: { S: 'alice@example.com#amplify-workflows#workflow' },
        SK: { S: 'wf-1' },
        UUID: { S: '0b7b6c1e-2f55-4d0c-9d3b-7d2f2f7c7e01' },
        appId: { S: 'alice@example.com#amplify-workflows' },
        entityType: { S: 'workflow' },
        createdAt: { N: '1732540000' },
        price: { N: '12345678901234567890.000000000000000001' },
        blob: { B: new Uint8Array([0, 1, 2, 10, 13, 254, 255]) },
        tags: { SS: ['b', 'a', 'ü/ñ'] },
        scores: { NS: ['1', '-2.5', '1E+3'] },
        blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        data: {
          M: {
            name: { S: 'line\nbreak "quoted" \u2028' },
            steps: { L: [{ S: 'x' }, { N: '0' }, { NULL: true }, { BOOL: false }, { M: {} }, { L: [] }] },
            nested: { M: { deep: { BS: [new Uint8Array([9])] } } },
          },
        },
        nothing: { NULL: true },
        active: { BOOL: true },
      },
      { PK: { S: 'bob+test@example.com#app#settings' }, SK: { S: 'only-keys' } },
      { PK: { S: 'carol#app#x' }, SK: { S: 's' }, rangeKey: { S: 'attribute absent from the first items' }, n: { N: '-0.000001' } },
    ];
    const byKey = (list: Item[]) =>
      [...list].sort((a, b) => `${(a.PK as { S: string }).S}|${(a.SK as { S: string }).S}`.localeCompare(`${(b.PK as { S: string }).S}|${(b.SK as { S: string }).S}`));

    beforeAll(async () => {
      for (const item of items) {
        await clients.dynamo.send(new PutItemCommand({ TableName: userStorage.name, Item: item as unknown as Record<string, SdkAttributeValue> }));
      }
    });

    it('exports every attribute type to a file and parses back to exactly the same items', async () => {
      const file = path.join(workDir, 'user-storage.jsonl');
      const result = await backup.exportTableToJsonLines({ tableName: userStorage.name, destination: { file }, pageSize: 1 });
      const text = await readFile(file, 'utf8');
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(result.items).toBe(3);
      expect(result.bytes).toBe(Buffer.byteLength(text));
      expect(result.sha256).toBe(require('node:crypto').createHash('sha256').update(text).digest('hex'));
      expect(byKey(lines.map(fromExportLine))).toEqual(byKey(items));
      expect(await backup.describeExport({ file })).toEqual({ items: 3, bytes: result.bytes, sha256: result.sha256 });
    });

    it('exports to S3 with the digest in the object metadata, and reads it back page by page', async () => {
      const destination = { bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, key: 'amplify-migrate/exports/user-storage.jsonl' };
      const result = await backup.exportTableToJsonLines({ tableName: userStorage.name, destination });
      expect(result.items).toBe(3);
      const head = await clients.s3.send(new HeadObjectCommand({ Bucket: destination.bucket, Key: destination.key }));
      expect(head.ContentLength).toBe(result.bytes);
      expect(head.Metadata).toEqual({ sha256: result.sha256, items: '3', 'source-table': userStorage.name });
      expect(await backup.describeExport(destination)).toEqual({ items: 3, bytes: result.bytes, sha256: result.sha256 });

      const first = await backup.readExportPage({ source: destination, offset: 0, limit: 2 });
      expect(first.lines).toHaveLength(2);
      expect(first.nextOffset).toBe(2);
      const second = await backup.readExportPage({ source: destination, offset: 2, limit: 2 });
      expect(second.lines).toHaveLength(1);
      expect(second.nextOffset).toBeNull();
      const exact = await backup.readExportPage({ source: destination, offset: 0, limit: 3 });
      expect(exact.nextOffset).toBeNull();
      expect(byKey([...first.lines, ...second.lines].map(fromExportLine))).toEqual(byKey(items));
    });

    it('fails for good, naming it, when an export to read is missing', async () => {
      const file = path.join(workDir, 'never-written.jsonl');
      await expect(backup.readExportPage({ source: { file }, offset: 0, limit: 10 })).rejects.toThrow(`export ${file} not found`);
      const object = { bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, key: 'nope.jsonl' };
      await expect(backup.describeExport(object)).rejects.toMatchObject({
        message: `export s3://${object.bucket}/nope.jsonl not found`,
        type: 'ExportMissing',
        nonRetryable: true,
      });
    });

    it('fails clearly when the table is missing, leaving no file behind', async () => {
      const file = path.join(workDir, 'missing.jsonl');
      const missing = `amplify-${uniqueDepName('zz')}-lambda-basic-ops-dev-user-storage`;
      await expect(backup.exportTableToJsonLines({ tableName: missing, destination: { file } })).rejects.toThrow(
        `table ${missing} does not exist: nothing to export`,
      );
      await expect(readFile(file)).rejects.toThrow('ENOENT');
    });
  });
});
