import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { BUCKET_KEYS, TABLE_KEYS, buildDeployment, tableSchema, type BucketKey, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import { itemEquals, type Item } from '../../src/dynamo/attributeValue';
import { generateSampleDeployment, type SampleDeployment } from '../../src/seed';
import { listPoolUsers } from '../../client/seed/cognito';
import { SERVERLESS_REPO_FIXTURE, SeedMismatchError, seedSampleDeployment, writeServerlessRepo, type SeedResult } from '../../client/seed/seed';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();

async function scanAll(deployment: Deployment, table: TableKey): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateScan({ client: clients.dynamo }, { TableName: deployment.tables[table], ConsistentRead: true })) {
    items.push(...((page.Items ?? []) as Item[]));
  }
  return items;
}

async function listKeys(deployment: Deployment, bucket: BucketKey): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: clients.s3 }, { Bucket: deployment.buckets[bucket] })) {
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  }
  return keys.sort();
}

const primaryKey = (table: TableKey, item: Item) => {
  const schema = tableSchema(table);
  return JSON.stringify([item[schema.hash.name], schema.range ? item[schema.range.name] : null]);
};

describe('seeding a sample deployment into moto', () => {
  const deployment = buildDeployment({ depName: uniqueDepName('seed'), stage: 'dev' });
  let description: SampleDeployment;
  let result: SeedResult;

  beforeAll(async () => {
    description = generateSampleDeployment({
      users: 20,
      itemsPerUser: 2,
      objectsPerUser: 2,
      objectBytes: 1024,
      seed: 42,
      scenario: 'A',
      deployment,
    });
    result = await seedSampleDeployment(clients, deployment, description, { concurrency: 6, withBasicOpsStack: true });
  });

  it('writes exactly the described items, table by table', async () => {
    for (const table of TABLE_KEYS) {
      const expected = [...description.items, ...description.oldUserStorageItems].filter((i) => i.table === table).map((i) => i.item);
      const actual = await scanAll(deployment, table);
      expect([table, actual.length]).toEqual([table, expected.length]);
      expect([table, result.itemsWritten[table]]).toEqual([table, expected.length]);
      const byKey = new Map(actual.map((item) => [primaryKey(table, item), item]));
      for (const item of expected) {
        const stored = byKey.get(primaryKey(table, item));
        expect([table, primaryKey(table, item), stored !== undefined && itemEquals(stored, item)]).toEqual([table, primaryKey(table, item), true]);
      }
    }
  });

  it('writes exactly the described objects, bucket by bucket, bodies and content types included', async () => {
    for (const bucket of BUCKET_KEYS) {
      const expected = description.objects.filter((o) => o.bucket === bucket).map((o) => o.key).sort();
      expect([bucket, await listKeys(deployment, bucket)]).toEqual([bucket, expected]);
      expect([bucket, result.objectsWritten[bucket] ?? 0]).toEqual([bucket, expected.length]);
    }
    const awkward = description.objects.filter((o) => /[ +ë]|é/.test(o.key)).slice(0, 12);
    expect(awkward.length).toBeGreaterThan(5);
    for (const object of awkward) {
      const out = await clients.s3.send(new GetObjectCommand({ Bucket: deployment.buckets[object.bucket], Key: object.key }));
      const body = await out.Body!.transformToByteArray();
      const expected = typeof object.body === 'string' ? new TextEncoder().encode(object.body) : object.body;
      expect([object.key, Buffer.from(body).equals(Buffer.from(expected))]).toEqual([object.key, true]);
      expect(out.ContentType).toBe(object.contentType);
    }
    const template = description.objects.find((o) => o.metadata)!;
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: deployment.buckets[template.bucket], Key: template.key }));
    expect(head.Metadata).toEqual(template.metadata);
  });

  it('creates the user pool with the migrated users: username = sub = new id, email = old id', async () => {
    expect(result.userPoolId).toBeDefined();
    const byUsername = (a: { username: string }, b: { username: string }) => a.username.localeCompare(b.username);
    const expected = description.users.map((u) => ({ username: u.newId, email: u.oldId, sub: u.newId })).sort(byUsername);
    expect((await listPoolUsers(clients, result.userPoolId!)).sort(byUsername)).toEqual(expected);
    expect([...result.cognitoUsers].sort(byUsername)).toEqual(expected);
  });

  it('creates the basic-ops stack holding /user-data', async () => {
    expect(result.basicOpsStack).toBe(deployment.basicOpsStack);
    const stacks = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: deployment.basicOpsStack }));
    expect(stacks.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    const resources = await clients.cloudFormation.send(new ListStackResourcesCommand({ StackName: deployment.basicOpsStack }));
    expect(resources.StackResourceSummaries?.map((r) => r.LogicalResourceId).sort()).toEqual(['ApiGatewayResourceUserDashdata', 'ApiGatewayRestApi']);
  });

  it('is idempotent: seeding again leaves the same counts', async () => {
    const again = await seedSampleDeployment(clients, deployment, description, { concurrency: 6, withBasicOpsStack: true });
    expect(again.itemsWritten).toEqual(result.itemsWritten);
    expect((await scanAll(deployment, 'USER_DATA_STORAGE_TABLE')).length).toBe(result.itemsWritten.USER_DATA_STORAGE_TABLE);
    expect((await listPoolUsers(clients, again.userPoolId!)).length).toBe(20);
    expect(again.userPoolId).toBe(result.userPoolId);
  });

  it('refuses a description generated for another deployment', async () => {
    const other = buildDeployment({ depName: uniqueDepName('other'), stage: 'dev' });
    await expect(seedSampleDeployment(clients, other, description)).rejects.toThrow(SeedMismatchError);
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: other.buckets.S3_SHARE_BUCKET_NAME }))).rejects.toThrow();
  });
});

describe('seeding without the migration targets (new amplify-lambda not deployed yet)', () => {
  const deployment = buildDeployment({ depName: uniqueDepName('seednt'), stage: 'dev' });

  it('leaves out the consolidation bucket and the user-data-storage table, and writes everything else', async () => {
    const description = generateSampleDeployment({ users: 3, itemsPerUser: 1, objectsPerUser: 1, objectBytes: 256, seed: 3, scenario: 'B', deployment });
    const result = await seedSampleDeployment(clients, deployment, description, { withoutTargets: true, withUserPool: false });
    await expect(clients.dynamo.send(new DescribeTableCommand({ TableName: deployment.tables.USER_DATA_STORAGE_TABLE }))).rejects.toThrow(
      /not found|ResourceNotFound/i,
    );
    await expect(clients.s3.send(new HeadBucketCommand({ Bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME }))).rejects.toThrow();
    expect(result.itemsWritten.USER_DATA_STORAGE_TABLE).toBeUndefined();
    expect(result.itemsWritten.OLD_USER_STORAGE_TABLE).toBe(description.oldUserStorageItems.length);
    expect((await scanAll(deployment, 'OLD_USER_STORAGE_TABLE')).length).toBe(description.oldUserStorageItems.length);
    expect(result.userPoolId).toBeUndefined();
    expect(result.basicOpsStack).toBeUndefined();
  });
});

describe('writeServerlessRepo', () => {
  it('copies the serverless repository fixture', async () => {
    const target = await mkdtemp(path.join(tmpdir(), 'seed-repo-'));
    try {
      await writeServerlessRepo(path.join(target, 'repo'));
      expect((await readdir(path.join(target, 'repo'))).sort()).toEqual((await readdir(SERVERLESS_REPO_FIXTURE)).sort());
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });
});
