/**
 * Writes a generated sample deployment (src/seed) into an emulator or a sandbox account:
 * tables and buckets, items (BatchWriteItem), legacy objects (PutObject), a Cognito user
 * pool, optionally the basic-ops CloudFormation stack, and the serverless repo fixture.
 */
import { cp, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import { mapWithConcurrency } from '../../activities/concurrency';
import { BUCKET_KEYS, TABLE_KEYS, type BucketKey, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { CognitoSeedUser, SampleDeployment, SeedItem } from '../../src/seed/types';
import { PROJECT_ROOT } from '../projectRoot';
import { provisionDeployment } from './provision';
import { createSampleUserPool } from './cognito';
import { createBasicOpsStack } from './basicOpsStack';

/** The resources only a deployed new amplify-lambda has (the migration's hard prerequisites). */
export const TARGET_TABLES: readonly TableKey[] = ['USER_DATA_STORAGE_TABLE'];
export const TARGET_BUCKETS: readonly BucketKey[] = ['S3_CONSOLIDATION_BUCKET_NAME'];

export interface SeedOptions {
  /** Requests in flight at once (BatchWriteItem calls and PutObject calls); default 8. */
  concurrency?: number;
  /**
   * Leave out the consolidation bucket and the user-data-storage table (a deployment where
   * the new amplify-lambda is not deployed yet), for the preflight / deployment-gate tests.
   * The description's USER_DATA_STORAGE items are then not written.
   */
  withoutTargets?: boolean;
  /** Create the basic-ops CloudFormation stack that still holds the `/user-data` path. */
  withBasicOpsStack?: boolean;
  /** Create the Cognito user pool (default true). */
  withUserPool?: boolean;
  /** Buckets created with versioning on. */
  versionedBuckets?: readonly BucketKey[];
}

export interface SeedResult {
  itemsWritten: Partial<Record<TableKey, number>>;
  objectsWritten: Partial<Record<BucketKey, number>>;
  userPoolId?: string;
  /** The pool's users as the pool reports them (on real Cognito the subs are the pool's own). */
  cognitoUsers: CognitoSeedUser[];
  basicOpsStack?: string;
}

export class SeedMismatchError extends Error {}

export async function seedSampleDeployment(
  clients: AwsClients,
  deployment: Deployment,
  description: SampleDeployment,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const { depName, stage } = description.deployment;
  if (depName !== deployment.depName || stage !== deployment.stage) {
    throw new SeedMismatchError(
      `the sample description names buckets of ${depName}/${stage} in its pointers, not ${deployment.depName}/${deployment.stage}: ` +
        `generate it with { deployment: { depName: '${deployment.depName}', stage: '${deployment.stage}' } }`,
    );
  }
  const concurrency = options.concurrency ?? 8;
  const skippedTables = new Set<TableKey>(options.withoutTargets ? TARGET_TABLES : []);
  const skippedBuckets = new Set<BucketKey>(options.withoutTargets ? TARGET_BUCKETS : []);
  await provisionDeployment(clients, deployment, {
    tables: TABLE_KEYS.filter((key) => !skippedTables.has(key)),
    buckets: BUCKET_KEYS.filter((key) => !skippedBuckets.has(key)),
    versionedBuckets: options.versionedBuckets,
  });

  const items = [...description.items, ...description.oldUserStorageItems].filter((i) => !skippedTables.has(i.table));
  const itemsWritten = await writeItems(clients, deployment, items, concurrency);
  const objects = description.objects.filter((o) => !skippedBuckets.has(o.bucket));
  const objectsWritten: Partial<Record<BucketKey, number>> = {};
  await mapWithConcurrency(objects, concurrency, async (object) => {
    // Bytes with a known length: the SDK otherwise treats an empty string as a stream.
    const body = typeof object.body === 'string' ? Buffer.from(object.body, 'utf8') : object.body;
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: deployment.buckets[object.bucket],
        Key: object.key,
        Body: body,
        ContentLength: body.length,
        ContentType: object.contentType,
        ...(object.metadata ? { Metadata: object.metadata } : {}),
      }),
    );
    objectsWritten[object.bucket] = (objectsWritten[object.bucket] ?? 0) + 1;
  });

  const result: SeedResult = { itemsWritten, objectsWritten, cognitoUsers: [] };
  if (options.withUserPool ?? true) {
    const pool = await createSampleUserPool(clients, deployment, description.cognitoUsers);
    result.userPoolId = pool.userPoolId;
    result.cognitoUsers = pool.users;
  }
  if (options.withBasicOpsStack) result.basicOpsStack = await createBasicOpsStack(clients, deployment);
  return result;
}

const BATCH_SIZE = 25;
const MAX_UNPROCESSED_ROUNDS = 12;

async function writeItems(
  clients: AwsClients,
  deployment: Deployment,
  items: readonly SeedItem[],
  concurrency: number,
): Promise<Partial<Record<TableKey, number>>> {
  const byTable = new Map<TableKey, Item[]>();
  for (const { table, item } of items) {
    const list = byTable.get(table) ?? [];
    list.push(item);
    byTable.set(table, list);
  }
  const batches: { table: TableKey; items: Item[] }[] = [];
  for (const [table, list] of byTable) {
    for (let i = 0; i < list.length; i += BATCH_SIZE) batches.push({ table, items: list.slice(i, i + BATCH_SIZE) });
  }
  const written: Partial<Record<TableKey, number>> = {};
  await mapWithConcurrency(batches, concurrency, async ({ table, items: batch }) => {
    const name = deployment.tables[table];
    await batchWriteAll(clients, name, batch.map((Item) => ({ PutRequest: { Item } })));
    written[table] = (written[table] ?? 0) + batch.length;
  });
  return written;
}

/** BatchWriteItem, re-sending UnprocessedItems with backoff until none are left. */
async function batchWriteAll(clients: AwsClients, tableName: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_UNPROCESSED_ROUNDS) {
      throw new Error(`BatchWriteItem on ${tableName}: ${pending.length} items still unprocessed after ${round} rounds`);
    }
    if (round > 0) await sleep(Math.min(2000, 50 * 2 ** round));
    const out = await clients.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
    pending = out.UnprocessedItems?.[tableName] ?? [];
  }
}

/** The fictional serverless repository (serverless.yml files and var file) the Parameter Store step reads. */
export const SERVERLESS_REPO_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'serverless-repo');

export async function writeServerlessRepo(targetDir: string): Promise<string> {
  const exists = await stat(SERVERLESS_REPO_FIXTURE).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new Error(`serverless repo fixture not found at ${SERVERLESS_REPO_FIXTURE}`);
  await cp(SERVERLESS_REPO_FIXTURE, targetDir, { recursive: true });
  return targetDir;
}
