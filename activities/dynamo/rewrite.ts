/**
 * The idempotent, resumable DynamoDB rewrite engine (DECISIONS.md §3 and §5).
 *
 * Generic over TableRule: it finds items (the user's partition, a user GSI, or one segment
 * of a once-per-run parallel scan), applies `rule.rewrite`, and writes only what changed:
 * - same primary key → one UpdateItem of the changed top-level attributes, conditional on
 *   their values as read, so the live application's concurrent writes to other attributes
 *   survive and a concurrent write to the same attributes makes us re-read and re-apply;
 * - new primary key → one TransactWriteItems (Put new if absent, Delete old if unchanged),
 *   so a crash leaves the old or the new item, never neither and never both half-written;
 *   an existing identical new item means an earlier run got there first: we only delete the old;
 * - an item whose key did not change is never deleted.
 *
 * Plain async functions over AwsClients (no Temporal), so they run in tests as they are.
 * Results are counters only: items never leave this module (Temporal payload limits).
 *
 * Known limits, by design:
 * - "Unchanged since read" compares every attribute that was read. An attribute the live
 *   application adds to the old item after our read (one that did not exist then) is not
 *   covered: DynamoDB conditions cannot say "no other attributes". Existing attributes are.
 * - Resuming: pages after the cursor are redone; items of a page interrupted mid-way are
 *   unchanged (or finish their move) on the redo, so counts after a crash can show them as
 *   unchanged rather than written. The end state is the same.
 * - A scan of a table whose keys change can meet a moved item again further on; it is then
 *   unchanged (the map is applied once per value and CSV validation refuses chains), but it
 *   is read twice, so a real scan's itemsRead/itemsUnchanged can exceed the dry run's.
 * - In a dry run, onConflict 'fail' records the conflict instead of throwing, so the plan
 *   lists every conflict the real run would stop at.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import { mapWithConcurrency } from '../concurrency';
import { entryFingerprint } from '../../src/ledger/plan';
import type { ItemEntry, LedgerSink } from '../../src/ledger/types';
import { batchGetItems, keyIdentity } from './batchGet';
import { tableSchema, type TableKey, type TableSchema } from '../../src/deployment/catalogue';
import { changedAttributes, itemEquals, itemSizeBytes, MAX_ITEM_BYTES, type AttributeValue, type Item } from '../../src/dynamo/attributeValue';
import type { IdMap } from '../../src/idmap/types';
import type { RewriteContext, TableRule } from '../../src/rules/types';
import {
  fitsExpressionLimit,
  Placeholders,
  unchangedCondition,
  updateExpression,
  wholeItemUnchangedCondition,
} from './expressions';

export type OnConflict = 'skip' | 'overwrite' | 'fail';

export type ConflictReason =
  /** The new key holds a different item; both were left as they are (skip, or fail in a dry run). */
  | 'targetExists'
  /** The new key held a different item and was replaced (onConflict overwrite). */
  | 'targetOverwritten'
  /** The rewritten item would exceed DynamoDB's 400 KB item limit; nothing written. */
  | 'itemTooLarge'
  /** Too many attributes to state "unchanged since read" in one 4 KB condition; nothing written. */
  | 'conditionTooLong'
  /** The item kept changing under us for every attempt; left for a re-run. */
  | 'stillChanging';

/** A key in a report: attribute name → value as text (S and N as they are, B as base64). */
export type KeyText = Record<string, string>;

export interface ConflictRecord {
  table: string;
  oldKey: KeyText;
  newKey: KeyText;
  reason: ConflictReason;
}

export interface RewriteCounters {
  /** Items the finder returned (query or scan). */
  itemsRead: number;
  /** Items whose stored state was (or in a dry run would be) changed, moves included. */
  itemsWritten: number;
  /** The subset of itemsWritten whose primary key changed. */
  itemsMoved: number;
  itemsUnchanged: number;
  /** The first MAX_CONFLICTS_LISTED conflicts; conflictCount has them all. */
  conflicts: ConflictRecord[];
  conflictCount: number;
  /** Writes repeated because the item (or the occupant of its new key) changed between read and write. */
  retries: number;
}

export const MAX_CONFLICTS_LISTED = 100;
/** Attempts per item when concurrent writers keep changing it. */
export const MAX_ATTEMPTS_PER_ITEM = 5;
const TRANSIENT_CANCELLATIONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

export function emptyCounters(): RewriteCounters {
  return { itemsRead: 0, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: [], conflictCount: 0, retries: 0 };
}

/** Sums two counter sets (for a resumed run, or segments of one scan). */
export function addCounters(a: RewriteCounters, b: RewriteCounters): RewriteCounters {
  return {
    itemsRead: a.itemsRead + b.itemsRead,
    itemsWritten: a.itemsWritten + b.itemsWritten,
    itemsMoved: a.itemsMoved + b.itemsMoved,
    itemsUnchanged: a.itemsUnchanged + b.itemsUnchanged,
    conflicts: [...a.conflicts, ...b.conflicts].slice(0, MAX_CONFLICTS_LISTED),
    conflictCount: a.conflictCount + b.conflictCount,
    retries: a.retries + b.retries,
  };
}

/** Raised for onConflict 'fail'; the activity wrapper turns it into a non-retryable failure. */
export class RewriteConflictError extends Error {
  constructor(readonly conflict: ConflictRecord) {
    super(`${conflict.table}: moving ${JSON.stringify(conflict.oldKey)} to ${JSON.stringify(conflict.newKey)} would overwrite a different existing item`);
    this.name = 'RewriteConflictError';
  }
}

/** A programming or configuration error (wrong finder, a rule that drops a key attribute): retrying cannot help. */
export class RewriteRuleError extends Error {
  override name = 'RewriteRuleError';
}

/**
 * A page cursor as it travels through heartbeats: LastEvaluatedKey with binary values as
 * base64, because heartbeat details are JSON and a Uint8Array does not survive JSON.
 */
export type WireCursor = Record<string, { S: string } | { N: string } | { B64: string }>;

export type ProgressCallback = (cursor: WireCursor | undefined, counters: RewriteCounters) => void | Promise<void>;

interface CommonOptions {
  /** Physical table name. */
  table: string;
  tableKey: TableKey;
  rule: TableRule;
  ids: IdMap;
  context: Omit<RewriteContext, 'ids'>;
  dryRun: boolean;
  onConflict?: OnConflict;
  /** LastEvaluatedKey of the last completed page: resume after it. */
  cursor?: WireCursor;
  /** Counters of the pages completed before `cursor`, so a resumed run reports the whole. */
  counters?: RewriteCounters;
  /** Called after each completed page with the cursor to resume from (undefined: done). */
  onProgress?: ProgressCallback;
  /** Items per Query/Scan page (DynamoDB's Limit); default: DynamoDB's 1 MB pages. */
  pageSize?: number;
  /** Items of one page processed at once. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  /** The run's ledger (issue 12): every write is recorded before it is made. Absent: no ledger. */
  ledger?: LedgerSink;
}

export interface RewriteUserItemsOptions extends CommonOptions {
  oldId: string;
}

export interface RewriteScanSegmentOptions extends CommonOptions {
  segment: number;
  totalSegments: number;
}

/** Rewrites the items of one user, found through the rule's key or GSI finder. */
export async function rewriteUserItems(clients: AwsClients, options: RewriteUserItemsOptions): Promise<RewriteCounters> {
  const schema = tableSchema(options.tableKey);
  const finder = options.rule.finder;
  if (finder.kind === 'scan') {
    throw new RewriteRuleError(`${options.tableKey} is found by a once-per-run scan, not per user: use rewriteScanSegment`);
  }
  const index = finder.kind === 'index' ? schema.indexes.find((i) => i.name === finder.index) : undefined;
  if (finder.kind === 'index' && !index) throw new RewriteRuleError(`${options.tableKey} has no index ${finder.index}`);
  const hashName = index ? index.hash.name : schema.hash.name;
  const engine = new Engine(clients, options, schema);
  return engine.run(async (startKey) => {
    const page = await clients.dynamo.send(
      new QueryCommand({
        TableName: options.table,
        IndexName: index?.name,
        KeyConditionExpression: '#h = :id',
        ExpressionAttributeNames: { '#h': hashName },
        ExpressionAttributeValues: { ':id': { S: options.oldId } },
        ExclusiveStartKey: startKey,
        Limit: options.pageSize,
        // A GSI cannot be read consistently; each of its items is re-read by primary key below.
        ConsistentRead: index ? undefined : true,
      }),
      { abortSignal: options.abortSignal },
    );
    return { items: (page.Items ?? []) as Item[], lastKey: page.LastEvaluatedKey, needsReRead: Boolean(index) };
  });
}

/** One segment of the once-per-run parallel scan: applies the whole id map to every item. */
export async function rewriteScanSegment(clients: AwsClients, options: RewriteScanSegmentOptions): Promise<RewriteCounters> {
  const schema = tableSchema(options.tableKey);
  const engine = new Engine(clients, options, schema);
  return engine.run(async (startKey) => {
    const page = await clients.dynamo.send(
      new ScanCommand({
        TableName: options.table,
        Segment: options.segment,
        TotalSegments: options.totalSegments,
        ExclusiveStartKey: startKey,
        Limit: options.pageSize,
        ConsistentRead: true,
      }),
      { abortSignal: options.abortSignal },
    );
    return { items: (page.Items ?? []) as Item[], lastKey: page.LastEvaluatedKey, needsReRead: false };
  });
}

interface Page {
  items: Item[];
  lastKey: Record<string, SdkAttributeValue> | undefined;
  /** Items came from an eventually consistent read: re-read each by primary key before writing. */
  needsReRead: boolean;
}

const toSdk = (item: Item): Record<string, SdkAttributeValue> => item as unknown as Record<string, SdkAttributeValue>;
const toSdkValues = (values: Record<string, AttributeValue> | undefined) => values as unknown as Record<string, SdkAttributeValue> | undefined;

class Engine {
  private readonly counters: RewriteCounters;
  private readonly keyNames: string[];
  private readonly ctx: RewriteContext;
  private readonly onConflict: OnConflict;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: CommonOptions,
    private readonly schema: TableSchema,
  ) {
    this.counters = options.counters ? addCounters(emptyCounters(), options.counters) : emptyCounters();
    this.keyNames = [schema.hash.name, ...(schema.range ? [schema.range.name] : [])];
    this.ctx = { ...options.context, ids: options.ids };
    this.onConflict = options.onConflict ?? 'skip';
  }

  async run(readPage: (startKey: Record<string, SdkAttributeValue> | undefined) => Promise<Page>): Promise<RewriteCounters> {
    let startKey = this.options.cursor ? keyFromCursor(this.options.cursor) : undefined;
    do {
      const page = await readPage(startKey);
      this.counters.itemsRead += page.items.length;
      const items = page.needsReRead ? await this.reRead(page.items) : page.items;
      // Write-ahead, one ledger chunk per page; a write the page did not foresee (a retry after
      // a concurrent change, an overwrite) records itself first.
      await this.recordAhead(items);
      const newKeys = this.options.dryRun ? await this.lookAtNewKeys(items) : undefined;
      await mapWithConcurrency(items, this.options.concurrency ?? 4, (item) => this.processItem(item, newKeys));
      startKey = page.lastKey;
      await this.options.onProgress?.(startKey ? cursorFromKey(startKey as unknown as Item) : undefined, this.snapshot());
    } while (startKey);
    return this.snapshot();
  }

  private snapshot(): RewriteCounters {
    return { ...this.counters, conflicts: [...this.counters.conflicts] };
  }

  /**
   * The items a GSI page listed, read again by primary key (an index is only eventually
   * consistent), in batches. One gone since the index listed it (moved or deleted by someone
   * else) is dropped: nothing of ours to do.
   */
  private async reRead(listed: readonly Item[]): Promise<Item[]> {
    const current = await batchGetItems(this.clients, this.options.table, listed.map((item) => this.keyOf(item)), this.keyNames, this.options.abortSignal);
    return listed.map((item) => current.get(keyIdentity(this.keyOf(item), this.keyNames))).filter((item): item is Item => item !== undefined);
  }

  /**
   * A dry run has no failed Put to learn from, so it looks at the new key of every item that
   * would move, in batches for the whole page rather than one GetItem per item.
   */
  private async lookAtNewKeys(items: readonly Item[]): Promise<NewKeysSeen> {
    const newKeys: Item[] = [];
    for (const item of items) {
      try {
        const newKey = this.keyOf(this.options.rule.rewrite(item, this.ctx));
        if (!itemEquals(this.keyOf(item), newKey)) newKeys.push(newKey);
      } catch {
        // The same rewrite fails again when the item is processed, and is reported there.
      }
    }
    const held = newKeys.length > 0 ? await batchGetItems(this.clients, this.options.table, newKeys, this.keyNames, this.options.abortSignal) : new Map<string, Item>();
    const seen = new Set(newKeys.map((key) => keyIdentity(key, this.keyNames)));
    return (newKey) => {
      const identity = keyIdentity(newKey, this.keyNames);
      return seen.has(identity) ? { item: held.get(identity) } : undefined;
    };
  }

  /** Brings one item to its rewritten state; loops only when a concurrent writer changed it. */
  private async processItem(read: Item, newKeysSeen?: NewKeysSeen): Promise<void> {
    let current: Item | undefined = read;
    // What we believe the new key holds; undefined = absent (the common case, tried first).
    let target: Item | undefined;
    let targetKnownFor: Item | undefined;
    // Our last write, when its outcome is unknown: a write whose response was lost (a 500 after
    // it was applied, then the SDK's retry fails its condition) is found done on the re-read,
    // and is counted as written, as the plan counted it.
    let attempted: { next: Item; newKey: Item; moved: boolean } | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS_PER_ITEM; attempt++) {
      if (!current) {
        if (attempted?.moved && itemEquals((await this.get(attempted.newKey)) ?? {}, attempted.next)) this.written(true);
        return;
      }
      const next = this.options.rule.rewrite(current, this.ctx);
      if (itemEquals(current, next)) {
        if (attempted && !attempted.moved && itemEquals(current, attempted.next)) this.written(false);
        else this.counters.itemsUnchanged++;
        return;
      }
      const oldKey = this.keyOf(current);
      const newKey = this.keyOf(next);
      if (itemSizeBytes(next) > MAX_ITEM_BYTES) return this.conflict(oldKey, newKey, 'itemTooLarge');
      // What we learned about the new key holds only while the rewrite still targets that key.
      const targetKnown = targetKnownFor !== undefined && itemEquals(targetKnownFor, newKey);
      const inPlace = itemEquals(oldKey, newKey);
      const known = targetKnown ? { item: target } : newKeysSeen?.(newKey);
      const outcome = inPlace ? await this.updateInPlace(current, next) : await this.move(current, next, oldKey, newKey, known);
      if (outcome.kind === 'done') return;
      attempted = outcome.kind === 'oldChanged' ? { next, newKey, moved: !inPlace } : undefined;
      if (outcome.kind === 'oldChanged') {
        this.counters.retries++;
        current = await this.get(oldKey);
      }
      if (outcome.kind === 'targetChanged') {
        // Only a retry when we had already read the target: the first discovery is the normal path of a re-run.
        if (targetKnown) this.counters.retries++;
        target = outcome.target ?? (await this.get(newKey));
        targetKnownFor = newKey;
      }
      if (outcome.kind === 'busy') {
        this.counters.retries++;
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
      }
    }
    this.conflict(this.keyOf(read), this.keyOf(this.options.rule.rewrite(read, this.ctx)), 'stillChanging');
  }

  private async updateInPlace(current: Item, next: Item): Promise<Outcome> {
    const { set, removed } = changedAttributes(current, next);
    const p = new Placeholders();
    const update = updateExpression(next, set, removed, p);
    const condition = unchangedCondition(current, [...set, ...removed], this.schema.hash.name, p);
    if (!fitsExpressionLimit(update, condition)) return this.conflictDone(this.keyOf(current), this.keyOf(next), 'conditionTooLong');
    if (this.options.dryRun) return this.written(false);
    await this.ahead(current, next);
    try {
      await this.clients.dynamo.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: toSdk(this.keyOf(current)),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: p.names,
          ExpressionAttributeValues: toSdkValues(p.valuesOrUndefined()),
        }),
        { abortSignal: this.options.abortSignal },
      );
      return this.written(false);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { kind: 'oldChanged' };
      throw err;
    }
  }

  /**
   * Moves `current` to its new key. `known` is what the new key was last seen to hold
   * (undefined: not read yet, assume absent and let the Put's condition tell us).
   */
  private async move(current: Item, next: Item, oldKey: Item, newKey: Item, known: { item: Item | undefined } | undefined): Promise<Outcome> {
    const deleteOld = new Placeholders();
    const deleteCondition = wholeItemUnchangedCondition(current, this.keyNames, this.schema.hash.name, deleteOld);
    if (!fitsExpressionLimit(deleteCondition)) return this.conflictDone(oldKey, newKey, 'conditionTooLong');

    // A dry run reads the new key up front (lookAtNewKeys did, for the page as first read): it
    // has no failed Put to learn from.
    if (this.options.dryRun && !known) known = { item: await this.get(newKey) };
    const target = known?.item;
    let overwriting = false;
    if (target && !itemEquals(target, next)) {
      if (this.onConflict === 'skip' || (this.onConflict === 'fail' && this.options.dryRun)) {
        return this.conflictDone(oldKey, newKey, 'targetExists');
      }
      if (this.onConflict === 'fail') throw new RewriteConflictError(this.conflictRecord(oldKey, newKey, 'targetExists'));
      overwriting = true;
    }
    const putNew = new Placeholders();
    const putCondition = target
      ? wholeItemUnchangedCondition(target, this.keyNames, this.schema.hash.name, putNew)
      : `attribute_not_exists(${putNew.name(this.schema.hash.name)})`;
    if (!fitsExpressionLimit(putCondition)) return this.conflictDone(oldKey, newKey, 'conditionTooLong');
    if (this.options.dryRun) {
      if (overwriting) this.conflict(oldKey, newKey, 'targetOverwritten');
      return this.written(true);
    }

    await this.ahead(current, next, overwriting ? target : undefined);
    const del: TransactWriteItem = {
      Delete: {
        TableName: this.options.table,
        Key: toSdk(oldKey),
        ConditionExpression: deleteCondition,
        ExpressionAttributeNames: deleteOld.names,
        ExpressionAttributeValues: toSdkValues(deleteOld.valuesOrUndefined()),
      },
    };
    if (target && !overwriting) {
      // An earlier run (or attempt) already wrote exactly this item: finish the move.
      try {
        await this.clients.dynamo.send(new DeleteItemCommand({ ...del.Delete! }), { abortSignal: this.options.abortSignal });
        return this.written(true);
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) return { kind: 'oldChanged' };
        throw err;
      }
    }
    const put: TransactWriteItem = {
      Put: {
        TableName: this.options.table,
        Item: toSdk(next),
        ConditionExpression: putCondition,
        ExpressionAttributeNames: putNew.names,
        ExpressionAttributeValues: toSdkValues(putNew.valuesOrUndefined()),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
    try {
      await this.clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put, del] }), { abortSignal: this.options.abortSignal });
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [putReason, deleteReason] = err.CancellationReasons ?? [];
      if (deleteReason?.Code === 'ConditionalCheckFailed') return { kind: 'oldChanged' };
      if (putReason?.Code === 'ConditionalCheckFailed') {
        return { kind: 'targetChanged', target: putReason.Item ? (putReason.Item as Item) : undefined };
      }
      // Another transaction on these keys, or throttling: nothing learned, try again. Anything
      // else (a validation error) would fail the same way every time.
      if ((err.CancellationReasons ?? []).some((r) => r.Code !== undefined && TRANSIENT_CANCELLATIONS.has(r.Code))) return { kind: 'busy' };
      throw err;
    }
    if (overwriting) this.conflict(oldKey, newKey, 'targetOverwritten');
    return this.written(true);
  }

  private readonly recorded = new Set<string>();

  private ledgerEntry(current: Item, next: Item, replaced?: Item): ItemEntry {
    return { kind: 'item', table: this.options.table, oldKey: this.keyOf(current), old: current, newKey: this.keyOf(next), new: next, ...(replaced ? { replaced } : {}) };
  }

  private async recordAhead(items: readonly Item[]): Promise<void> {
    if (!this.options.ledger || this.options.dryRun) return;
    const entries: ItemEntry[] = [];
    for (const item of items) {
      try {
        const next = this.options.rule.rewrite(item, this.ctx);
        if (itemEquals(item, next) || itemSizeBytes(next) > MAX_ITEM_BYTES) continue;
        const entry = this.ledgerEntry(item, next);
        const print = entryFingerprint(entry);
        if (!this.recorded.has(print)) entries.push(entry);
        this.recorded.add(print);
      } catch {
        // The same rewrite fails again when the item is processed, and is reported there.
      }
    }
    await this.options.ledger.record(entries);
  }

  /** Records one write just before it is made, unless the page's chunk already holds it. */
  private async ahead(current: Item, next: Item, replaced?: Item): Promise<void> {
    if (!this.options.ledger) return;
    const entry = this.ledgerEntry(current, next, replaced);
    const print = entryFingerprint(entry);
    if (this.recorded.has(print)) return;
    await this.options.ledger.record([entry]);
    this.recorded.add(print);
  }

  private written(moved: boolean): Outcome {
    this.counters.itemsWritten++;
    if (moved) this.counters.itemsMoved++;
    return { kind: 'done' };
  }

  private conflictRecord(oldKey: Item, newKey: Item, reason: ConflictReason): ConflictRecord {
    return { table: this.options.table, oldKey: keyText(oldKey), newKey: keyText(newKey), reason };
  }

  private conflict(oldKey: Item, newKey: Item, reason: ConflictReason): void {
    this.counters.conflictCount++;
    if (this.counters.conflicts.length < MAX_CONFLICTS_LISTED) this.counters.conflicts.push(this.conflictRecord(oldKey, newKey, reason));
  }

  private conflictDone(oldKey: Item, newKey: Item, reason: ConflictReason): Outcome {
    this.conflict(oldKey, newKey, reason);
    return { kind: 'done' };
  }

  private keyOf(item: Item): Item {
    const key: Item = {};
    for (const name of this.keyNames) {
      const value = item[name];
      if (value === undefined) throw new RewriteRuleError(`${this.options.tableKey}: item without key attribute ${name} (rule ${this.options.rule.table})`);
      key[name] = value;
    }
    return key;
  }

  private async get(key: Item): Promise<Item | undefined> {
    const { Item: item } = await this.clients.dynamo.send(
      new GetItemCommand({ TableName: this.options.table, Key: toSdk(key), ConsistentRead: true }),
      { abortSignal: this.options.abortSignal },
    );
    return item as Item | undefined;
  }
}

/** What a dry run saw at a new key, when it looked (undefined: it did not look at this key). */
type NewKeysSeen = (newKey: Item) => { item: Item | undefined } | undefined;

type Outcome =
  | { kind: 'done' }
  /** The old item no longer holds the values read: re-read it and start over. */
  | { kind: 'oldChanged' }
  /** The new key does not hold what we assumed; `target` is what it holds, when the failure told us. */
  | { kind: 'targetChanged'; target?: Item }
  /** A concurrent transaction or throttling cancelled ours; nothing learned, try again. */
  | { kind: 'busy' };

export function keyText(key: Item): KeyText {
  const text: KeyText = {};
  for (const [name, value] of Object.entries(key)) {
    if ('S' in value) text[name] = value.S;
    else if ('N' in value) text[name] = value.N;
    else if ('B' in value) text[name] = Buffer.from(value.B).toString('base64');
    else text[name] = JSON.stringify(value);
  }
  return text;
}

export function cursorFromKey(key: Item): WireCursor {
  const cursor: WireCursor = {};
  for (const [name, value] of Object.entries(key)) {
    if ('S' in value) cursor[name] = { S: value.S };
    else if ('N' in value) cursor[name] = { N: value.N };
    else if ('B' in value) cursor[name] = { B64: Buffer.from(value.B).toString('base64') };
    else throw new RewriteRuleError(`key attribute ${name} is not S, N or B`);
  }
  return cursor;
}

export function keyFromCursor(cursor: WireCursor): Record<string, SdkAttributeValue> {
  const key: Record<string, SdkAttributeValue> = {};
  for (const [name, value] of Object.entries(cursor)) {
    key[name] = 'B64' in value ? { B: new Uint8Array(Buffer.from(value.B64, 'base64')) } : value;
  }
  return key;
}
