/**
 * The idempotent, resumable DynamoDB rewrite engine: nothing lost, nothing overwritten
 * silently, and no table scanned once per user.
 *
 * Generic over TableRule: it finds items (the user's partition, a user GSI, or one segment
 * of a once-per-run parallel scan), applies `rule.rewrite`, and writes only what changed:
 * - same primary key → one UpdateItem of the changed top-level attributes, conditional on
 *   their values as read, so the live application's concurrent writes to other attributes
 *   survive and a concurrent write to the same attributes makes us re-read and re-apply;
 * - new primary key → one TransactWriteItems (Put new if absent, Delete old if unchanged),
 *   so a crash leaves the old or the new item, never neither and never both half-written;
 *   an existing identical new item means an earlier run got there first: we only delete the old.
 *   A page's writes, moves and updates alike, go up to 100 actions to a transaction (the same
 *   actions and conditions each, all or none; DynamoDB bills a transactional write twice, a
 *   price paid for a request per hundred items instead of one per item); a cancelled batch
 *   applied nothing, and its items are written one by one, which finds out why;
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
 *   unchanged (or finish their move) on the redo. With a ledger, the retry counts them as
 *   written from the killed attempt's intents (Engine.countEarlierAttempts); without one (a
 *   workflow started without a run id) they count as unchanged. The end state is the same.
 *   Intents are found in ledger key order, which starts with the writing worker's clock:
 *   when attempts run on workers whose clocks disagree by more than the time between them
 *   (or by more than 10 minutes, before any checkpoint), a retry may miss some and count
 *   fewer writes (never more).
 * - A scan of a table whose keys change can meet a moved item again further on; it is then
 *   unchanged (the map is applied once per value and CSV validation refuses chains), but it
 *   is read twice, so a real scan's itemsRead/itemsUnchanged can exceed the dry run's.
 * - In a dry run, onConflict 'fail' records the conflict instead of throwing, so the plan
 *   lists every conflict the real run would stop at.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import { tableSchema } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import { Engine } from './engine';
import { RewriteRuleError, type EngineOptions, type RewriteCounters } from './rewriteTypes';

export * from './rewriteTypes';

export interface RewriteUserItemsOptions extends EngineOptions {
  oldId: string;
}

export interface RewriteScanSegmentOptions extends EngineOptions {
  segment: number;
  totalSegments: number;
  /** Only these items are the segment's work (the run-wide plan of a per-user table); the rest are read and left. */
  select?: (item: Item) => boolean;
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
    const items = (page.Items ?? []) as Item[];
    const select = options.select;
    return { items: select ? items.filter(select) : items, itemsRead: items.length, lastKey: page.LastEvaluatedKey, needsReRead: false };
  });
}
