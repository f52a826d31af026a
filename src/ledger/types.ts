/**
 * The ledger of a run (issue 12): one entry per write the run makes, recorded before the write
 * (write-ahead), so a revert can put back exactly what the run changed and nothing else.
 *
 * An entry states the intended write, not that it happened: a crash between the ledger chunk
 * and the write, or a write whose condition failed, leaves an entry that was never applied.
 * The revert plan (plan.ts) tells those apart by what the store holds now.
 */
import { itemEquals, type Item } from '../dynamo/attributeValue';

/** The ledger's objects live under this prefix of the consolidation bucket, one folder per run. */
export const LEDGER_PREFIX = 'amplify-migrate/ledgers/';

export function ledgerRunPrefix(runId: string): string {
  return `${LEDGER_PREFIX}${runId}/`;
}

/**
 * A DynamoDB item the run moved, updated in place or created.
 * - moved: `oldKey` differs from `newKey`; the old item is deleted in the same transaction.
 * - updated in place: `oldKey` equals `newKey`.
 * - created (USER_DATA_STORAGE import, conversions): no `old`, no `oldKey`.
 */
export interface ItemEntry {
  kind: 'item';
  /** Physical table name. */
  table: string;
  oldKey?: Item;
  /** The whole item as read before the write. */
  old?: Item;
  newKey: Item;
  /** The whole item as the run writes it. */
  new: Item;
  /** What the new key held and the write replaced (onConflict overwrite, or a merge based on it). */
  replaced?: Item;
}

/**
 * An object the run copied into a bucket. `etag` is the ETag the copy is expected to have
 * (the source's, for a single-request copy) until `confirmed` says it was read back after the
 * copy (then with the version id, in a versioned bucket).
 *
 * `untouched`: the copy found its destination taken (an identical object, or a different one
 * left as a conflict) and wrote nothing there. It cancels the intent of the copy from the same
 * `source` (`bucket/key`), so a revert leaves the object alone unless another copy of the run,
 * from another source, wrote it.
 */
export interface ObjectEntry {
  kind: 'object';
  bucket: string;
  key: string;
  /** The copy's source as `bucket/key` (absent for objects the run put itself, such as archives). */
  source?: string;
  etag?: string;
  versionId?: string;
  confirmed: boolean;
  untouched?: true;
}

/** A Parameter Store parameter the run created (no `previous`) or updated. */
export interface ParameterEntry {
  kind: 'parameter';
  name: string;
  previous?: string;
  value: string;
}

/** Written once by a cleanup phase before it deletes anything: a run with it can no longer be reverted. */
export interface CleanupEntry {
  kind: 'cleanup';
  source: string;
}

export type LedgerEntry = ItemEntry | ObjectEntry | ParameterEntry | CleanupEntry;

/** Where a ledger sink writes: the run's folder in the consolidation bucket. */
export interface LedgerLocation {
  bucket: string;
  runId: string;
}

/**
 * What the engines see of the ledger: `record` resolves once the entries are durable, and the
 * caller writes only after that. Absent sink: no ledger (tests, dry runs, older callers).
 */
export interface LedgerSink {
  record(entries: readonly LedgerEntry[]): Promise<void>;
  /**
   * Where this activity's ledger stands: the newest chunk recorded (or being recorded) by its
   * attempts. A checkpoint keeps it, so a retried attempt knows which of the intents it finds
   * were made after the counts the checkpoint holds.
   */
  mark?(): string | undefined;
  /**
   * Only on a retried attempt: what this activity's earlier attempts recorded after `mark`
   * (undefined: since the activity was first scheduled). A killed attempt's writes that no
   * checkpoint counted are among these; the retry tells them from intents never carried out
   * by what the store holds now, and counts them as the plan did (issue 14).
   */
  earlierAttempts?(mark: string | undefined): Promise<LedgerEntry[]>;
}

export const isMove = (e: ItemEntry): boolean => e.oldKey !== undefined && !itemEquals(e.oldKey, e.newKey);
