/**
 * The one write USER_DATA_STORAGE items go through in Step 2 and the per-user conversions:
 * absent → put; identical → nothing; different → conflict, reported and left as it is,
 * unless the operator chose `overwrite`. Every put is conditional on what
 * was read at the key, so an item the live service writes meanwhile is never clobbered.
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import { itemEquals, itemSizeBytes, MAX_ITEM_BYTES, type Item } from '../../src/dynamo/attributeValue';
import { fitsExpressionLimit, Placeholders, wholeItemUnchangedCondition } from '../dynamo/expressions';
import { keyText, MAX_ATTEMPTS_PER_ITEM, type OnConflict } from '../dynamo/rewrite';
import type { WriteAhead } from '../ledger/writeAhead';
import { mapWithConcurrency } from '../concurrency';
import { keyIdentity } from '../dynamo/batchGet';
import { createdEntry, UDS_KEY_NAMES as KEY_NAMES, udsItemKey, type SeenAt } from './ledger';

export type PutOutcome =
  /** Written (a dry run: would be written). */
  | 'written'
  /** The key already held exactly this item. */
  | 'unchanged'
  /** The key holds a different item; left as it is. */
  | 'conflict'
  /** The key held a different item and was replaced (onConflict overwrite). */
  | 'overwritten'
  /** Over DynamoDB's item limit; not written. */
  | 'oversize'
  /** `basedOn` no longer describes the key: the caller re-reads and rebuilds the item. */
  | 'basisChanged'
  /** Concurrent writers kept changing the key for every attempt. */
  | 'stillChanging'
  /** A condition over the item's attributes does not fit DynamoDB's 4 KB expression limit. */
  | 'conditionTooLong';

export interface ConditionalPutOptions {
  table: string;
  dryRun: boolean;
  onConflict: OnConflict;
  /**
   * What the caller read at the item's key and built the item from (a merge): replacing
   * exactly that is intended, not a conflict. Undefined: nothing was read.
   */
  basedOn?: { item: Item | undefined };
  /**
   * What a read just before found at the key (foreseePuts, for the ledger): where to start
   * instead of assuming the key absent. Unlike `basedOn`, replacing it is a conflict.
   */
  seen?: { item: Item | undefined };
  /** The run's ledger (issue 12): each put is recorded before it is made (a foreseen one costs nothing more). */
  ledger?: WriteAhead;
  abortSignal?: AbortSignal;
  /**
   * A batch of this attempt held this put and was cancelled on the SDK's retry of it: its first
   * try may have applied, its answer lost. Exactly this item found at the key is then our write.
   */
  batchMayHaveWritten?: boolean;
}

/** Raised for onConflict 'fail' (never in a dry run); the activity turns it into a non-retryable failure. */
export class UdsConflictError extends Error {
  override name = 'UdsConflictError';
  constructor(
    readonly table: string,
    readonly key: Record<string, string>,
  ) {
    super(`${table}: ${JSON.stringify(key)} already holds a different item (onConflict fail)`);
  }
}

const sdk = (item: Item) => item as unknown as Record<string, SdkAttributeValue>;

export async function getItem(clients: AwsClients, table: string, key: Item, abortSignal?: AbortSignal): Promise<Item | undefined> {
  const { Item: item } = await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: sdk(key), ConsistentRead: true }), { abortSignal });
  return item as Item | undefined;
}

export async function conditionalPut(clients: AwsClients, item: Item, options: ConditionalPutOptions): Promise<PutOutcome> {
  if (itemSizeBytes(item) > MAX_ITEM_BYTES) return 'oversize';
  const key = udsItemKey(item);
  // What we believe the key holds; unknown at first: assume absent and let the condition tell us.
  let known = options.basedOn ?? options.seen;
  if (options.dryRun && !known) known = { item: await getItem(clients, options.table, key, options.abortSignal) };

  for (let attempt = 1; attempt <= MAX_ATTEMPTS_PER_ITEM; attempt++) {
    const target = known?.item;
    // Already there: this attempt's own lost answer is handled below; a killed predecessor's
    // put is recognised from its ledger intent (a retried attempt only).
    if (target && itemEquals(target, item)) {
      if (options.batchMayHaveWritten) return 'written';
      const earlier = await options.ledger?.earlierPut(options.table, key, item);
      if (!earlier) return 'unchanged';
      // What the predecessor replaced was a conflict only if it was not the basis of a merge.
      return earlier.replaced && !options.basedOn ? 'overwritten' : 'written';
    }
    const intended = known !== undefined && known === options.basedOn;
    let overwriting = false;
    if (target && !intended) {
      if (options.onConflict === 'skip' || (options.onConflict === 'fail' && options.dryRun)) return 'conflict';
      if (options.onConflict === 'fail') throw new UdsConflictError(options.table, keyText(key));
      overwriting = true;
    }
    if (options.dryRun) return overwriting ? 'overwritten' : 'written';

    const p = new Placeholders();
    const condition = target ? wholeItemUnchangedCondition(target, KEY_NAMES, 'PK', p) : `attribute_not_exists(${p.name('PK')})`;
    if (!fitsExpressionLimit(condition)) return 'conditionTooLong';
    await options.ledger?.before(createdEntry(options.table, item, target));
    try {
      await clients.dynamo.send(
        new PutItemCommand({
          TableName: options.table,
          Item: sdk(item),
          ConditionExpression: condition,
          ExpressionAttributeNames: p.names,
          ExpressionAttributeValues: p.valuesOrUndefined() as Record<string, SdkAttributeValue> | undefined,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: options.abortSignal },
      );
      return overwriting ? 'overwritten' : 'written';
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const holds = (err.Item as Item | undefined) ?? (await getItem(clients, options.table, key, options.abortSignal));
      // The SDK retried this very request (its first answer was lost) and the retry's condition
      // failed on exactly our item: the first attempt wrote it. Written, as the plan counted it.
      if ((err.$metadata.attempts ?? 1) > 1 && holds && itemEquals(holds, item)) return overwriting ? 'overwritten' : 'written';
      if (intended) return 'basisChanged';
      known = { item: holds };
    }
  }
  return 'stillChanging';
}

/** DynamoDB's limit on the actions of one transaction. */
const PUTS_PER_TRANSACTION = 100;
/** Below DynamoDB's 4 MB per transaction. */
const TRANSACTION_BYTES = 3 * 1024 * 1024;

export interface ConditionalPutAllOptions extends Omit<ConditionalPutOptions, 'basedOn' | 'seen' | 'batchMayHaveWritten'> {
  /** What the look before the puts found at each key (foreseePuts). */
  seen: SeenAt;
  /** Puts (or batches) in flight at once. */
  concurrency?: number;
}

/**
 * Many conditional puts, each with conditionalPut's outcome, in as few requests as fit: the
 * items whose keys the look before them found free go up to 100 to a TransactWriteItems, each
 * with the condition conditionalPut gives a free key (attribute_not_exists), so a batch is all
 * of those puts or none. Everything else, and the items of a cancelled batch (a key taken
 * since the look, a concurrent transaction, throttling), takes conditionalPut one by one,
 * which finds out which and why.
 */
export async function conditionalPutAll(clients: AwsClients, items: readonly Item[], options: ConditionalPutAllOptions): Promise<PutOutcome[]> {
  const { seen, concurrency = 1, ...common } = options;
  const outcomes: PutOutcome[] = new Array<PutOutcome>(items.length);
  const alone: number[] = [];
  const batches: number[][] = [];
  const keysTaken = new Set<string>();
  let batch: number[] = [];
  let batchBytes = 0;
  items.forEach((item, i) => {
    const identity = keyIdentity(udsItemKey(item), KEY_NAMES);
    const look = seen(item);
    const free = !options.dryRun && look !== undefined && look.item === undefined;
    const bytes = itemSizeBytes(item);
    // A transaction may not act on one item twice: a key's second put goes alone.
    if (!free || bytes > MAX_ITEM_BYTES || keysTaken.has(identity)) return void alone.push(i);
    keysTaken.add(identity);
    if (batch.length === PUTS_PER_TRANSACTION || batchBytes + bytes > TRANSACTION_BYTES) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(i);
    batchBytes += bytes;
  });
  batches.push(batch);

  const one = async (i: number, batchMayHaveWritten = false) => {
    outcomes[i] = await conditionalPut(clients, items[i], { ...common, seen: seen(items[i]), ...(batchMayHaveWritten ? { batchMayHaveWritten } : {}) });
  };
  await mapWithConcurrency(batches, concurrency, async (indexes) => {
    // A put alone goes the one-by-one way: the same one request, and that way knows every outcome.
    if (indexes.length < 2) return void alone.push(...indexes);
    for (const i of indexes) await options.ledger?.before(createdEntry(options.table, items[i], undefined));
    try {
      await clients.dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: indexes.map((i) => ({
            Put: { TableName: options.table, Item: sdk(items[i]), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK' } },
          })),
        }),
        { abortSignal: options.abortSignal },
      );
      for (const i of indexes) outcomes[i] = 'written';
    } catch (err) {
      const cancelled = err instanceof TransactionCanceledException || (err as { name?: string }).name === 'ValidationException';
      if (!cancelled) throw err;
      const retried = ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;
      for (const i of indexes) await one(i, retried);
    }
  });
  await mapWithConcurrency(alone, concurrency, (i) => one(i));
  return outcomes;
}
