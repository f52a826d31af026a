/**
 * Consistent reads of many keys in few requests: BatchGetItem, 100 keys a request, unprocessed
 * keys asked again (with a short back-off, as DynamoDB asks). The rewrite engine uses it where
 * it used to GetItem one key at a time: re-reading the items a GSI page listed, and, in a dry
 * run, looking at the new keys of the items that would move.
 */
import { BatchGetItemCommand, type AttributeValue as SdkAttributeValue, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../src/dynamo/attributeValue';
import type { AwsClients } from '../aws/clients';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_REQUEST = 100;
/** Rounds of asking again for unprocessed keys before giving up (each backs off longer). */
const MAX_ROUNDS = 8;

/** A key's identity: its attributes in the table's key order. */
export function keyIdentity(key: Item, keyNames: readonly string[]): string {
  return JSON.stringify(keyNames.map((name) => key[name]));
}

/** Every key's current item (consistent read); a key holding nothing is absent from the map. */
export async function batchGetItems(
  clients: AwsClients,
  table: string,
  keys: readonly Item[],
  keyNames: readonly string[],
  abortSignal?: AbortSignal,
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((key) => [keyIdentity(key, keyNames), key])).values()];
  for (let start = 0; start < unique.length; start += KEYS_PER_REQUEST) {
    let pending: Record<string, SdkAttributeValue>[] = unique.slice(start, start + KEYS_PER_REQUEST) as unknown as Record<string, SdkAttributeValue>[];
    for (let round = 1; pending.length > 0; round++) {
      if (round > MAX_ROUNDS) throw new Error(`${table}: BatchGetItem left ${pending.length} keys unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (round - 2)));
      const request: KeysAndAttributes = { Keys: pending, ConsistentRead: true };
      const answer = await clients.dynamo.send(new BatchGetItemCommand({ RequestItems: { [table]: request } }), { abortSignal });
      for (const item of (answer.Responses?.[table] ?? []) as Item[]) found.set(keyIdentity(item, keyNames), item);
      pending = answer.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  }
  return found;
}
