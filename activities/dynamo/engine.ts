/**
 * The rewrite engine's per-item work (see ./rewrite.ts for what it guarantees): reads a page,
 * re-reads a GSI page by primary key, applies the rule, and brings each item to its rewritten
 * state with conditional writes (./itemWrites.ts), retrying only when a concurrent writer changed it.
 */
import { GetItemCommand, type AttributeValue as SdkAttributeValue, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import { mapWithConcurrency } from '../concurrency';
import type { TableSchema } from '../../src/deployment/catalogue';
import { itemEquals, itemSizeBytes, MAX_ITEM_BYTES, type Item } from '../../src/dynamo/attributeValue';
import { isMove, type ItemEntry } from '../../src/ledger/types';
import type { RewriteContext } from '../../src/rules/types';
import { batchGetItems, keyIdentity } from './batchGet';
import { ItemLedger } from './itemLedger';
import { move, moveActions, toSdk, updateAction, updateInPlace, writeTogether, type Outcome, type WriteHost } from './itemWrites';
import { addCounters, cursorFromKey, emptyCounters, keyFromCursor, keyText, MAX_ATTEMPTS_PER_ITEM, MAX_CONFLICTS_LISTED } from './rewriteTypes';
import { RewriteRuleError, type ConflictReason, type ConflictRecord, type EngineOptions, type OnConflict, type Page, type RewriteCounters } from './rewriteTypes';

/** The page loop and the per-item work; the write paths (./itemWrites.ts) see it as their WriteHost. */
export class Engine implements WriteHost {
  private readonly counters: RewriteCounters;
  readonly keyNames: string[];
  private readonly ctx: RewriteContext;
  readonly onConflict: OnConflict;
  readonly ledger: ItemLedger;
  /** New keys a killed predecessor wrote, counted on resume (countEarlierAttempts). */
  private readonly countedEarlier = new Set<string>();

  constructor(
    readonly clients: AwsClients,
    readonly options: EngineOptions,
    readonly schema: TableSchema,
  ) {
    this.counters = options.counters ? addCounters(emptyCounters(), options.counters) : emptyCounters();
    this.keyNames = [schema.hash.name, ...(schema.range ? [schema.range.name] : [])];
    this.ctx = { ...options.context, ids: options.ids };
    this.onConflict = options.onConflict ?? 'skip';
    this.ledger = new ItemLedger(options.dryRun ? undefined : options.ledger, options.table, (item) => this.keyOf(item));
  }

  async run(readPage: (startKey: Record<string, SdkAttributeValue> | undefined) => Promise<Page>): Promise<RewriteCounters> {
    let startKey = this.options.cursor ? keyFromCursor(this.options.cursor) : undefined;
    if (this.options.resumed && !this.options.dryRun) await this.countEarlierAttempts(this.options.resumed.ledgerMark);
    do {
      const page = await readPage(startKey);
      this.counters.itemsRead += page.itemsRead ?? page.items.length;
      const items = page.needsReRead ? await this.reRead(page.items) : page.items;
      // Write-ahead, one ledger chunk per page; a write the page did not foresee (a retry after
      // a concurrent change, an overwrite) records itself first.
      await this.ledger.recordPage(items, (item) => this.options.rule.rewrite(item, this.ctx));
      const newKeys = this.options.dryRun ? await this.lookAtNewKeys(items) : undefined;
      const oneByOne = this.options.dryRun ? items : await this.writeInBatches(items);
      await mapWithConcurrency(oneByOne, this.options.concurrency ?? 4, (item) => this.processItem(item, newKeys));
      startKey = page.lastKey;
      await this.options.onProgress?.(startKey ? cursorFromKey(startKey as unknown as Item) : undefined, this.snapshot(), this.options.ledger?.mark?.());
    } while (startKey);
    return this.snapshot();
  }

  /**
   * A retried attempt after a killed one: the writes the dead attempt made after its last
   * checkpoint are done, but only it knew, and the pages redone from that checkpoint no longer
   * find a moved item under its old key (an item updated in place looks as if it never needed
   * the rewrite). Its ledger intents tell: each one the store now holds as intended (the new
   * image at the new key, and for a move nothing left at the old key) is counted here, once,
   * as the plan counted it, and not again as unchanged when a page meets it. An intent never
   * carried out is left to the pages, which still find its item to rewrite.
   */
  private async countEarlierAttempts(mark: string | undefined): Promise<void> {
    const earlier = await this.options.ledger?.earlierAttempts?.(mark);
    const latest = new Map<string, { entry: ItemEntry; overwrote: boolean }>();
    for (const entry of earlier ?? []) {
      if (entry.kind !== 'item' || entry.table !== this.options.table || !entry.oldKey) continue;
      const identity = keyIdentity(entry.newKey, this.keyNames);
      latest.set(identity, { entry, overwrote: Boolean(entry.replaced) || (latest.get(identity)?.overwrote ?? false) });
    }
    if (latest.size === 0) return;
    const keys = [...latest.values()].flatMap(({ entry }) => [entry.newKey, entry.oldKey!]);
    const now = await batchGetItems(this.clients, this.options.table, keys, this.keyNames, this.options.abortSignal);
    for (const [identity, { entry, overwrote }] of latest) {
      const held = now.get(identity);
      const moved = isMove(entry);
      if (!held || !itemEquals(held, entry.new) || (moved && now.has(keyIdentity(entry.oldKey!, this.keyNames)))) continue;
      this.written(moved);
      if (overwrote) this.conflict(entry.oldKey!, entry.newKey, 'targetOverwritten');
      this.countedEarlier.add(identity);
    }
  }

  /**
   * The page's writes in as few TransactWriteItems as fit (./itemWrites.ts writeTogether):
   * moves to new keys presumed free and updates in place, up to ACTIONS_PER_TRANSACTION
   * actions each, instead of a request per item. Returns the items left to the one-by-one
   * way: those with nothing to write or whose write cannot go in a batch, those that share a
   * key with another write of the page (a transaction may not act on one item twice), and
   * those whose batch was cancelled.
   */
  private async writeInBatches(items: readonly Item[]): Promise<Item[]> {
    const oneByOne: Item[] = [];
    const batches: PlannedWrite[][] = [];
    const keysTaken = new Set<string>();
    let batch: PlannedWrite[] = [];
    let batchActions = 0;
    let batchBytes = 0;
    for (const item of items) {
      const planned = this.plannedWrite(item);
      if (!planned || planned.keys.some((k) => keysTaken.has(k))) {
        oneByOne.push(item);
        continue;
      }
      planned.keys.forEach((k) => keysTaken.add(k));
      if (batchActions + planned.actions.length > ACTIONS_PER_TRANSACTION || batchBytes + planned.bytes > TRANSACTION_BYTES) {
        batches.push(batch);
        batch = [];
        batchActions = 0;
        batchBytes = 0;
      }
      batch.push(planned);
      batchActions += planned.actions.length;
      batchBytes += planned.bytes;
    }
    batches.push(batch);
    await mapWithConcurrency(batches, this.options.concurrency ?? 4, async (writes) => {
      // A write alone goes the one-by-one way: the same requests, and that way knows every outcome.
      if (writes.length < 2) return void oneByOne.push(...writes.map((w) => w.item));
      for (const { item, next } of writes) await this.ledger.recordWrite(item, next);
      if (await writeTogether(this, writes.flatMap((w) => w.actions))) writes.forEach((w) => this.written(w.moved));
      else oneByOne.push(...writes.map((w) => w.item));
    });
    return oneByOne;
  }

  /**
   * A move to a new key presumed free, or an update in place, with its actions; undefined for
   * anything else (the one-by-one way decides).
   */
  private plannedWrite(item: Item): PlannedWrite | undefined {
    try {
      const next = this.options.rule.rewrite(item, this.ctx);
      if (itemEquals(item, next) || itemSizeBytes(next) > MAX_ITEM_BYTES) return undefined;
      const oldKey = this.keyOf(item);
      const newKey = this.keyOf(next);
      const bytes = itemSizeBytes(item) + itemSizeBytes(next);
      if (itemEquals(oldKey, newKey)) {
        const update = updateAction(this, item, next);
        return update && { item, next, moved: false, keys: [keyIdentity(oldKey, this.keyNames)], actions: [update], bytes };
      }
      const move = moveActions(this, item, next, oldKey, undefined);
      return move && { item, next, moved: true, keys: [keyIdentity(oldKey, this.keyNames), keyIdentity(newKey, this.keyNames)], actions: [move.put, move.del], bytes };
    } catch {
      // A rewrite or key that fails fails again the one-by-one way, and is reported there.
      return undefined;
    }
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
        // Written by a killed attempt, and counted as such by countEarlierAttempts.
        else if (this.countedEarlier.delete(keyIdentity(this.keyOf(current), this.keyNames))) return;
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
      const outcome = inPlace ? await updateInPlace(this, current, next) : await move(this, current, next, oldKey, newKey, known);
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


  written(moved: boolean): Outcome {
    this.counters.itemsWritten++;
    if (moved) this.counters.itemsMoved++;
    return { kind: 'done' };
  }

  conflictRecord(oldKey: Item, newKey: Item, reason: ConflictReason): ConflictRecord {
    return { table: this.options.table, oldKey: keyText(oldKey), newKey: keyText(newKey), reason };
  }

  conflict(oldKey: Item, newKey: Item, reason: ConflictReason): void {
    this.counters.conflictCount++;
    if (this.counters.conflicts.length < MAX_CONFLICTS_LISTED) this.counters.conflicts.push(this.conflictRecord(oldKey, newKey, reason));
  }

  conflictDone(oldKey: Item, newKey: Item, reason: ConflictReason): Outcome {
    this.conflict(oldKey, newKey, reason);
    return { kind: 'done' };
  }

  keyOf(item: Item): Item {
    const key: Item = {};
    for (const name of this.keyNames) {
      const value = item[name];
      if (value === undefined) throw new RewriteRuleError(`${this.options.tableKey}: item without key attribute ${name} (rule ${this.options.rule.table})`);
      key[name] = value;
    }
    return key;
  }

  async get(key: Item): Promise<Item | undefined> {
    const { Item: item } = await this.clients.dynamo.send(
      new GetItemCommand({ TableName: this.options.table, Key: toSdk(key), ConsistentRead: true }),
      { abortSignal: this.options.abortSignal },
    );
    return item as Item | undefined;
  }
}

/** A write of a page that may go in a batch: the item, its rewrite, the keys it acts on, its actions and its size. */
interface PlannedWrite {
  item: Item;
  next: Item;
  moved: boolean;
  keys: string[];
  actions: TransactWriteItem[];
  bytes: number;
}

/** DynamoDB's limit on the actions of one transaction (a move takes two, an update one). */
const ACTIONS_PER_TRANSACTION = 100;
/** Below DynamoDB's 4 MB per transaction, with room for the conditions' values. */
const TRANSACTION_BYTES = 3 * 1024 * 1024;

/** What a dry run saw at a new key, when it looked (undefined: it did not look at this key). */
type NewKeysSeen = (newKey: Item) => { item: Item | undefined } | undefined;
