/**
 * Puts a seeded deployment back to its seeded state after a run, in place: items and objects
 * the run added are deleted, seeded ones it removed are put back. Re-provisioning 45 tables
 * and 13 buckets for every case would cost ten times the run itself.
 */
import { DeleteItemCommand, PutItemCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import { BUCKET_KEYS, TABLE_KEYS, tableSchema, type Deployment } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { SampleDeployment } from '../../src/seed';
import { canonical } from '../support/emulator';
import type { DeploymentSnapshot } from '../support/snapshot';

const sdk = (item: Item) => item as unknown as Record<string, SdkAttributeValue>;

/** `state` is the deployment's snapshot as it stands (taken for the comparison anyway): no second read. */
export async function restoreSeed(clients: AwsClients, deployment: Deployment, sample: SampleDeployment, state: DeploymentSnapshot): Promise<void> {
  const seededItems = [...sample.items, ...sample.oldUserStorageItems];
  for (const table of TABLE_KEYS) {
    const schema = tableSchema(table);
    const keyOf = (item: Item): Item => Object.fromEntries([schema.hash.name, ...(schema.range ? [schema.range.name] : [])].map((n) => [n, item[n]]));
    const seeded = new Map(seededItems.filter((s) => s.table === table).map((s) => [canonical(s.item), s.item]));
    const seededKeys = new Set([...seeded.values()].map((i) => canonical(keyOf(i))));
    const current = state.tables[table].map(fromCanonical);
    const present = new Set(current.map(canonical));
    for (const item of current) {
      if (!seededKeys.has(canonical(keyOf(item)))) await clients.dynamo.send(new DeleteItemCommand({ TableName: deployment.tables[table], Key: sdk(keyOf(item)) }));
    }
    for (const [text, item] of seeded) {
      if (!present.has(text)) await clients.dynamo.send(new PutItemCommand({ TableName: deployment.tables[table], Item: sdk(item) }));
    }
  }
  for (const bucket of BUCKET_KEYS) {
    const name = deployment.buckets[bucket];
    const seeded = new Map(sample.objects.filter((o) => o.bucket === bucket).map((o) => [o.key, o]));
    const present = new Set<string>();
    for (const key of Object.keys(state.buckets[bucket])) {
      present.add(key);
      if (!seeded.has(key)) await clients.s3.send(new DeleteObjectCommand({ Bucket: name, Key: key }));
    }
    for (const [key, o] of seeded) {
      if (!present.has(key)) await clients.s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: o.body, ContentType: o.contentType, Metadata: o.metadata }));
    }
  }
}

/** canonical() keeps S, N and the rest as they are and writes binary values as base64. */
function fromCanonical(text: string): Item {
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 1 && entries[0][0] === 'B' && typeof entries[0][1] === 'string') return { B: new Uint8Array(Buffer.from(entries[0][1], 'base64')) };
      return Object.fromEntries(entries.map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  return revive(JSON.parse(text)) as Item;
}
