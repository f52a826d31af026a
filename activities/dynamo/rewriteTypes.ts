/**
 * The rewrite engine's types: what it is asked (options, pages), what it reports and carries
 * between attempts (counters, conflicts, the page cursor as it travels through heartbeats), and
 * the errors no retry can fix.
 */
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { TableKey } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { IdMap } from '../../src/idmap/types';
import type { LedgerSink } from '../../src/ledger/types';
import type { RewriteContext, TableRule } from '../../src/rules/types';

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

/**
 * Called after each completed page: where to resume, the counts so far, and the ledger's mark
 * at that point (a checkpoint keeps it for a retried attempt's `resumed`).
 */
export type ProgressCallback = (cursor: WireCursor | undefined, counters: RewriteCounters, ledgerMark?: string) => void | Promise<void>;

/**
 * A retried attempt: its checkpoint's ledger mark (undefined: no checkpoint, or one without a
 * ledger). The engine counts, once, the writes its predecessors made after that mark.
 */
export interface ResumePoint {
  ledgerMark?: string;
}

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

export interface EngineOptions {
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
  /** Set on a retried attempt (see ResumePoint). */
  resumed?: ResumePoint;
}

export interface Page {
  items: Item[];
  lastKey: Record<string, SdkAttributeValue> | undefined;
  /** Items came from an eventually consistent read: re-read each by primary key before writing. */
  needsReRead: boolean;
  /** Items the read returned, when a selection kept only some of them (`items`). */
  itemsRead?: number;
}
