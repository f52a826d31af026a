/** Reads the emulator's full state, for end-state assertions (exact items and objects). */
import { paginateScan } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import type { Item } from '../../src/dynamo/attributeValue';

export async function scanAll(clients: AwsClients, table: string): Promise<Item[]> {
  const items: Item[] = [];
  try {
    for await (const page of paginateScan({ client: clients.dynamo }, { TableName: table })) items.push(...((page.Items ?? []) as Item[]));
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw err;
  }
  return items;
}

export interface StoredObject {
  key: string;
  body: Buffer;
  contentType?: string;
  metadata?: Record<string, string>;
}

export async function listKeys(clients: AwsClients, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client: clients.s3 }, { Bucket: bucket, Prefix: prefix })) {
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchBucket') return [];
    throw err;
  }
  return keys.sort();
}

export async function readObject(clients: AwsClients, bucket: string, key: string): Promise<StoredObject | undefined> {
  try {
    const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { key, body: Buffer.from(await out.Body!.transformToByteArray()), contentType: out.ContentType, metadata: out.Metadata };
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

export async function objectExists(clients: AwsClients, bucket: string, key: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** A stable text form of an item for set comparisons (attribute order does not matter). */
export function canonical(item: Item): string {
  const sortValue = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return { B: Buffer.from(v).toString('base64') };
    if (Array.isArray(v)) return v.map(sortValue);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => {
            const inner = (v as Record<string, unknown>)[k];
            // Sets are unordered in DynamoDB.
            if ((k === 'SS' || k === 'NS') && Array.isArray(inner)) return [k, [...inner].sort()];
            if (k === 'BS' && Array.isArray(inner)) return [k, inner.map((b: Uint8Array) => Buffer.from(b).toString('base64')).sort()];
            return [k, sortValue(inner)];
          }),
      );
    }
    return v;
  };
  return JSON.stringify(sortValue(item));
}
