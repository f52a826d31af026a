/**
 * The rewrite engine's two conditional write paths (see ./rewrite.ts for what they guarantee):
 * an item whose key stays is updated in place, one whose key changes is moved (Put new and
 * Delete old in one transaction); and a page's writes of both kinds batched in transactions. Each answers what it learned (Outcome); the engine's item
 * loop (./engine.ts) decides what comes next.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue as SdkAttributeValue, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import type { TableSchema } from '../../src/deployment/catalogue';
import { changedAttributes, itemEquals, type AttributeValue, type Item } from '../../src/dynamo/attributeValue';
import { fitsExpressionLimit, Placeholders, unchangedCondition, updateExpression, wholeItemUnchangedCondition } from './expressions';
import type { ItemLedger } from './itemLedger';
import { RewriteConflictError, type ConflictReason, type ConflictRecord, type EngineOptions, type OnConflict } from './rewriteTypes';

/** Cancellation reasons that say "try again", not "your condition failed". */
const TRANSIENT_CANCELLATIONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

export const toSdk = (item: Item): Record<string, SdkAttributeValue> => item as unknown as Record<string, SdkAttributeValue>;
const toSdkValues = (values: Record<string, AttributeValue> | undefined) => values as unknown as Record<string, SdkAttributeValue> | undefined;

/** What the write paths use of the engine that runs them (./engine.ts: Engine). */
export interface WriteHost {
  readonly clients: AwsClients;
  readonly options: EngineOptions;
  readonly schema: TableSchema;
  readonly keyNames: string[];
  readonly onConflict: OnConflict;
  readonly ledger: ItemLedger;
  keyOf(item: Item): Item;
  get(key: Item): Promise<Item | undefined>;
  written(moved: boolean): Outcome;
  conflict(oldKey: Item, newKey: Item, reason: ConflictReason): void;
  conflictDone(oldKey: Item, newKey: Item, reason: ConflictReason): Outcome;
  conflictRecord(oldKey: Item, newKey: Item, reason: ConflictReason): ConflictRecord;
}

/** The conditional update of an item whose key stays, or undefined when it would exceed DynamoDB's expression limit. */
export function updateAction(engine: WriteHost, current: Item, next: Item): TransactWriteItem | undefined {
  const { set, removed } = changedAttributes(current, next);
  const p = new Placeholders();
  const update = updateExpression(next, set, removed, p);
  const condition = unchangedCondition(current, [...set, ...removed], engine.schema.hash.name, p);
  if (!fitsExpressionLimit(update, condition)) return undefined;
  return {
    Update: {
      TableName: engine.options.table,
      Key: toSdk(engine.keyOf(current)),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: p.names,
      ExpressionAttributeValues: toSdkValues(p.valuesOrUndefined()),
    },
  };
}

export async function updateInPlace(engine: WriteHost, current: Item, next: Item): Promise<Outcome> {
  const action = updateAction(engine, current, next);
  if (!action) return engine.conflictDone(engine.keyOf(current), engine.keyOf(next), 'conditionTooLong');
  if (engine.options.dryRun) return engine.written(false);
  await engine.ledger.recordWrite(current, next);
  try {
    await engine.clients.dynamo.send(new UpdateItemCommand({ ...action.Update! }), { abortSignal: engine.options.abortSignal });
    return engine.written(false);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return { kind: 'oldChanged' };
    throw err;
  }
}

/** The two actions of a move: Put the new item (if the new key holds `target`, or nothing) and Delete the old if unchanged. */
export interface MoveActions {
  put: TransactWriteItem;
  del: TransactWriteItem;
}

/** The move's actions, or undefined when a condition would exceed DynamoDB's expression limit. */
export function moveActions(engine: WriteHost, current: Item, next: Item, oldKey: Item, target: Item | undefined): MoveActions | undefined {
  const deleteOld = new Placeholders();
  const deleteCondition = wholeItemUnchangedCondition(current, engine.keyNames, engine.schema.hash.name, deleteOld);
  const putNew = new Placeholders();
  const putCondition = target
    ? wholeItemUnchangedCondition(target, engine.keyNames, engine.schema.hash.name, putNew)
    : `attribute_not_exists(${putNew.name(engine.schema.hash.name)})`;
  if (!fitsExpressionLimit(deleteCondition) || !fitsExpressionLimit(putCondition)) return undefined;
  return {
    put: {
      Put: {
        TableName: engine.options.table,
        Item: toSdk(next),
        ConditionExpression: putCondition,
        ExpressionAttributeNames: putNew.names,
        ExpressionAttributeValues: toSdkValues(putNew.valuesOrUndefined()),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    del: {
      Delete: {
        TableName: engine.options.table,
        Key: toSdk(oldKey),
        ConditionExpression: deleteCondition,
        ExpressionAttributeNames: deleteOld.names,
        ExpressionAttributeValues: toSdkValues(deleteOld.valuesOrUndefined()),
      },
    },
  };
}

/**
 * Moves `current` to its new key. `known` is what the new key was last seen to hold
 * (undefined: not read yet, assume absent and let the Put's condition tell us).
 */
export async function move(engine: WriteHost, current: Item, next: Item, oldKey: Item, newKey: Item, known: { item: Item | undefined } | undefined): Promise<Outcome> {
  if (!moveActions(engine, current, next, oldKey, undefined)) return engine.conflictDone(oldKey, newKey, 'conditionTooLong');

  // A dry run reads the new key up front (lookAtNewKeys did, for the page as first read): it
  // has no failed Put to learn from.
  if (engine.options.dryRun && !known) known = { item: await engine.get(newKey) };
  const target = known?.item;
  let overwriting = false;
  if (target && !itemEquals(target, next)) {
    if (engine.onConflict === 'skip' || (engine.onConflict === 'fail' && engine.options.dryRun)) {
      return engine.conflictDone(oldKey, newKey, 'targetExists');
    }
    if (engine.onConflict === 'fail') throw new RewriteConflictError(engine.conflictRecord(oldKey, newKey, 'targetExists'));
    overwriting = true;
  }
  const actions = moveActions(engine, current, next, oldKey, target);
  if (!actions) return engine.conflictDone(oldKey, newKey, 'conditionTooLong');
  if (engine.options.dryRun) {
    if (overwriting) engine.conflict(oldKey, newKey, 'targetOverwritten');
    return engine.written(true);
  }

  await engine.ledger.recordWrite(current, next, overwriting ? target : undefined);
  const { put, del } = actions;
  if (target && !overwriting) {
    // An earlier run (or attempt) already wrote exactly this item: finish the move.
    try {
      await engine.clients.dynamo.send(new DeleteItemCommand({ ...del.Delete! }), { abortSignal: engine.options.abortSignal });
      return engine.written(true);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { kind: 'oldChanged' };
      throw err;
    }
  }
  try {
    await engine.clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [put, del] }), { abortSignal: engine.options.abortSignal });
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
  if (overwriting) engine.conflict(oldKey, newKey, 'targetOverwritten');
  return engine.written(true);
}

/**
 * Writes of a page in one TransactWriteItems: moves to new keys presumed free and updates in
 * place, each with exactly the actions (and conditions) of `move` and `updateInPlace`, so the
 * batch is all of those writes or none of them. True when it was applied. False when it was
 * cancelled (a new key taken, an old item changed, a concurrent transaction, throttling) or
 * refused: it then applied nothing, and the caller writes each item the one-by-one way, which
 * finds out which and why, and recognises a write this batch made before its answer was lost.
 */
export async function writeTogether(engine: WriteHost, actions: readonly TransactWriteItem[]): Promise<boolean> {
  try {
    await engine.clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [...actions] }), { abortSignal: engine.options.abortSignal });
    return true;
  } catch (err) {
    if (err instanceof TransactionCanceledException || (err as { name?: string }).name === 'ValidationException') return false;
    throw err;
  }
}

export type Outcome =
  | { kind: 'done' }
  /** The old item no longer holds the values read: re-read it and start over. */
  | { kind: 'oldChanged' }
  /** The new key does not hold what we assumed; `target` is what it holds, when the failure told us. */
  | { kind: 'targetChanged'; target?: Item }
  /** A concurrent transaction or throttling cancelled ours; nothing learned, try again. */
  | { kind: 'busy' };
