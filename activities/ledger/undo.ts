/**
 * One undo step against the store: read what its keys hold, judge it (src/ledger/plan.ts),
 * and, unless planning, put back what was there before, conditional on the state judged,
 * so a write the live application makes meanwhile is never clobbered:
 * - moved item: one TransactWriteItems, put the old item if absent + delete the new one if
 *   unchanged (or put back what it replaced);
 * - item updated in place: the attributes the run changed get their old values, on the
 *   condition that they still hold the run's (the app's writes to other attributes survive);
 * - created item: deleted if unchanged (or what it replaced put back);
 * - copied object: deleted if its ETag is unchanged, and only in the consolidation bucket;
 * - parameter: previous value restored, or deleted if the run created it, if unchanged.
 * A condition that fails means someone wrote between our read and our write: the step is
 * judged again from a fresh read.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients';
import { Placeholders, unchangedCondition, updateExpression, wholeItemUnchangedCondition } from '../dynamo/expressions';
import type { Item } from '../../src/dynamo/attributeValue';
import { inPlaceAttributes, judgeItem, judgeObject, judgeParameter, type UndoEntry, type Verdict } from '../../src/ledger/plan';
import { isMove, type ItemEntry, type ObjectEntry, type ParameterEntry } from '../../src/ledger/types';
import type { OnConflict } from '../../workflows/types';

export interface UndoOptions {
  /** Judge only (the revert's plan). */
  dryRun: boolean;
  onConflict: OnConflict;
  /** The only bucket copies are deleted from. */
  consolidationBucket: string;
}

/** What happened to a step: undone (or would be), already as before, a conflict left (or overwritten), refused. */
export type UndoOutcome = 'undone' | 'already' | 'conflict' | 'overwritten' | 'refused';

export class RevertConflictError extends Error {
  override name = 'RevertConflictError';
}

const sdk = (item: Item) => item as unknown as Record<string, SdkAttributeValue>;
const ATTEMPTS = 5;

export async function undoStep(clients: AwsClients, step: UndoEntry, options: UndoOptions): Promise<UndoOutcome> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const verdict = await judge(clients, step, options);
    if (verdict === 'done') return 'already';
    if (verdict === 'refused') return 'refused';
    const force = verdict === 'conflict';
    if (force) {
      if (options.onConflict === 'skip' || options.dryRun) return 'conflict';
      if (options.onConflict === 'fail') throw new RevertConflictError(`${describeStep(step)} was changed after the run (--on-conflict fail)`);
    }
    if (options.dryRun) return 'undone';
    if (await apply(clients, step, force)) return force ? 'overwritten' : 'undone';
  }
  return 'conflict';
}

export function describeStep(step: UndoEntry): string {
  if (step.kind === 'item') return `${step.table} ${JSON.stringify(plainKey(step.newKey))}${step.oldKey && isMove(step) ? ` (from ${JSON.stringify(plainKey(step.oldKey))})` : ''}`;
  if (step.kind === 'object') return `s3://${step.bucket}/${step.key}`;
  return `parameter ${step.name}`;
}

function plainKey(key: Item): Record<string, string> {
  return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, 'S' in v ? v.S : 'N' in v ? v.N : JSON.stringify(v)]));
}

async function judge(clients: AwsClients, step: UndoEntry, options: UndoOptions): Promise<Verdict | 'refused'> {
  switch (step.kind) {
    case 'item': {
      const atNew = await getItem(clients, step.table, step.newKey);
      const atOld = step.oldKey && isMove(step) ? await getItem(clients, step.table, step.oldKey) : atNew;
      return judgeItem(step, { atOld, atNew });
    }
    case 'object':
      // Legacy sources were never deleted, so nothing is restored there; only our copies go.
      if (step.bucket !== options.consolidationBucket) return 'refused';
      return judgeObject(step, await headObject(clients, step));
    case 'parameter':
      return judgeParameter(step, await getParameter(clients, step.name));
  }
}

async function apply(clients: AwsClients, step: UndoEntry, force: boolean): Promise<boolean> {
  switch (step.kind) {
    case 'item':
      return applyItem(clients, step, force);
    case 'object':
      await clients.s3.send(new DeleteObjectCommand({ Bucket: step.bucket, Key: step.key, VersionId: force ? undefined : step.versionId }));
      return true;
    case 'parameter':
      return applyParameter(clients, step);
  }
}

function unchanged(item: Item, key: Item, p: Placeholders): string {
  const keyNames = Object.keys(key);
  return wholeItemUnchangedCondition(item, keyNames, keyNames[0], p);
}

function condition(p: Placeholders, expression: string | undefined) {
  return expression === undefined ? {} : { ConditionExpression: expression, ExpressionAttributeNames: p.names, ExpressionAttributeValues: p.valuesOrUndefined() as Record<string, SdkAttributeValue> | undefined };
}

/** The new key goes back to what it held: deleted, or the item the run replaced put back. */
function restoreNewKey(step: ItemEntry, force: boolean): TransactWriteItem {
  const p = new Placeholders();
  const cond = force ? undefined : unchanged(step.new, step.newKey, p);
  return step.replaced
    ? { Put: { TableName: step.table, Item: sdk(step.replaced), ...condition(p, cond) } }
    : { Delete: { TableName: step.table, Key: sdk(step.newKey), ...condition(p, cond) } };
}

async function applyItem(clients: AwsClients, step: ItemEntry, force: boolean): Promise<boolean> {
  try {
    if (step.oldKey && step.old && isMove(step)) {
      const p = new Placeholders();
      const putOld: TransactWriteItem = { Put: { TableName: step.table, Item: sdk(step.old), ...condition(p, force ? undefined : `attribute_not_exists(${p.name(Object.keys(step.oldKey)[0])})`) } };
      await clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [putOld, restoreNewKey(step, force)] }));
      return true;
    }
    if (step.old) {
      if (force) {
        await clients.dynamo.send(new PutItemCommand({ TableName: step.table, Item: sdk(step.old) }));
        return true;
      }
      const names = inPlaceAttributes(step);
      const p = new Placeholders();
      const set = names.filter((n) => step.old![n] !== undefined);
      const removed = names.filter((n) => step.old![n] === undefined);
      const update = updateExpression(step.old, set, removed, p);
      const cond = unchangedCondition(step.new, names, Object.keys(step.newKey)[0], p);
      await clients.dynamo.send(new UpdateItemCommand({ TableName: step.table, Key: sdk(step.newKey), UpdateExpression: update, ...condition(p, cond) }));
      return true;
    }
    const restore = restoreNewKey(step, force);
    if (restore.Put) await clients.dynamo.send(new PutItemCommand(restore.Put));
    else await clients.dynamo.send(new DeleteItemCommand(restore.Delete!));
    return true;
  } catch (err) {
    // Someone wrote between our read and our write: judge again from a fresh read.
    if (err instanceof ConditionalCheckFailedException) return false;
    if (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return false;
    throw err;
  }
}

async function applyParameter(clients: AwsClients, step: ParameterEntry): Promise<boolean> {
  // Parameter Store has no conditional writes: the read just before is the check.
  if (step.previous === undefined) {
    try {
      await clients.ssm.send(new DeleteParameterCommand({ Name: step.name }));
    } catch (err) {
      if ((err as Error).name !== 'ParameterNotFound') throw err;
    }
  } else {
    await clients.ssm.send(new PutParameterCommand({ Name: step.name, Value: step.previous, Type: 'String', Overwrite: true }));
  }
  return true;
}

async function getItem(clients: AwsClients, table: string, key: Item): Promise<Item | undefined> {
  const { Item: item } = await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: sdk(key), ConsistentRead: true }));
  return item as Item | undefined;
}

async function headObject(clients: AwsClients, step: ObjectEntry): Promise<{ etag: string } | undefined> {
  try {
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: step.bucket, Key: step.key }));
    return { etag: head.ETag ?? '' };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
    throw err;
  }
}

async function getParameter(clients: AwsClients, name: string): Promise<string | undefined> {
  try {
    return (await clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (err) {
    if ((err as Error).name === 'ParameterNotFound') return undefined;
    throw err;
  }
}
