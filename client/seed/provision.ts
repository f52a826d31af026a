/**
 * Creates a deployment's tables (with their real key schemas and GSIs) and buckets in an
 * emulator or a sandbox account. Used by the sample-deployment seeder and the tests.
 */
import {
  CreateTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, PutBucketVersioningCommand, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import {
  BUCKET_KEYS,
  TABLE_KEYS,
  tableSchema,
  type BucketKey,
  type Deployment,
  type KeyAttribute,
  type TableKey,
} from '../../src/deployment/catalogue';

export async function createTable(clients: AwsClients, deployment: Deployment, key: TableKey): Promise<void> {
  const schema = tableSchema(key);
  const attributes = new Map<string, KeyAttribute>();
  const remember = (a?: KeyAttribute) => a && attributes.set(a.name, a);
  remember(schema.hash);
  remember(schema.range);
  const indexes: GlobalSecondaryIndex[] = schema.indexes.map((index) => {
    remember(index.hash);
    remember(index.range);
    return {
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.hash.name, KeyType: 'HASH' },
        ...(index.range ? [{ AttributeName: index.range.name, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: 'ALL' },
    };
  });
  const definitions: AttributeDefinition[] = [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
  try {
    await clients.dynamo.send(
      new CreateTableCommand({
        TableName: deployment.tables[key],
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: definitions,
        KeySchema: [
          { AttributeName: schema.hash.name, KeyType: 'HASH' },
          ...(schema.range ? [{ AttributeName: schema.range.name, KeyType: 'RANGE' as const }] : []),
        ],
        ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await waitUntilTableExists({ client: clients.dynamo, maxWaitTime: 60 }, { TableName: deployment.tables[key] });
}

export async function createBucket(clients: AwsClients, deployment: Deployment, key: BucketKey, versioned = false): Promise<void> {
  const Bucket = deployment.buckets[key];
  try {
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket,
        ...(clients.region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: clients.region as BucketLocationConstraint } } : {}),
      }),
    );
  } catch (err) {
    if (!(err instanceof BucketAlreadyOwnedByYou)) throw err;
  }
  if (versioned) {
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
}

export interface ProvisionOptions {
  tables?: readonly TableKey[];
  buckets?: readonly BucketKey[];
  /** Buckets to create with versioning on (backup_prereq.py enables it on most sources). */
  versionedBuckets?: readonly BucketKey[];
}

/** Creates every table and bucket of the catalogue (or the subsets asked for). Idempotent. */
export async function provisionDeployment(clients: AwsClients, deployment: Deployment, options: ProvisionOptions = {}): Promise<void> {
  const versioned = new Set(options.versionedBuckets ?? []);
  for (const key of options.tables ?? TABLE_KEYS) await createTable(clients, deployment, key);
  for (const key of options.buckets ?? BUCKET_KEYS) await createBucket(clients, deployment, key, versioned.has(key));
}
