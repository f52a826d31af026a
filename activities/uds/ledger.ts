/**
 * The ledger entries of USER_DATA_STORAGE puts (issue 12): for each item the run creates, its
 * key and image, and what it replaced if it overwrote. A page of puts is foreseen as one
 * chunk before any of them is made. What each key holds is read first, in BatchGetItem pages,
 * so the chunk says what a revert must put back: an item whose key already holds exactly it
 * (a re-run, the service's own copy) is not the run's and is left out, as is one that will be
 * reported as a conflict and not written. The read also tells conditionalPut what the key
 * holds, so a taken key costs no failed put. Without a ledger nothing of this happens.
 */
import type { AwsClients } from '../aws/clients';
import { batchGetItems, keyIdentity } from '../dynamo/batchGet';
import type { OnConflict } from '../dynamo/rewrite';
import { itemEquals, itemSizeBytes, MAX_ITEM_BYTES, type Item } from '../../src/dynamo/attributeValue';
import type { ItemEntry } from '../../src/ledger/types';
import type { WriteAhead } from '../ledger/writeAhead';

export const UDS_KEY_NAMES = ['PK', 'SK'];

export const udsItemKey = (item: Item): Item => ({ PK: item.PK, SK: item.SK });

/** What the look before the put found at a key; undefined: not looked at (the put learns by its condition). */
export type SeenAt = (item: Item) => { item: Item | undefined } | undefined;

const notLooked: SeenAt = () => undefined;

/** The entry of one put: `replaced` is what the key held (absent: a created item). */
export function createdEntry(table: string, item: Item, replaced: Item | undefined): ItemEntry {
  return { kind: 'item', table, newKey: udsItemKey(item), new: item, ...(replaced ? { replaced } : {}) };
}

/**
 * What each key of a page of puts holds, read in BatchGetItem pages: recorded ahead in the
 * ledger (a real run with one), or only looked at (a dry run, which would otherwise learn each
 * key by a GetItem that mostly misses). A real run without a ledger does not look: its puts
 * learn by their condition.
 */
export async function foreseePuts(
  clients: AwsClients,
  ahead: WriteAhead,
  table: string,
  items: readonly Item[],
  onConflict: OnConflict,
  abortSignal?: AbortSignal,
  dryRun = false,
): Promise<SeenAt> {
  const candidates = items.filter((item) => itemSizeBytes(item) <= MAX_ITEM_BYTES);
  const records = ahead.active && !dryRun;
  if ((!records && !dryRun) || candidates.length === 0) return notLooked;
  const held = await batchGetItems(clients, table, candidates.map(udsItemKey), UDS_KEY_NAMES, abortSignal);
  if (records) {
    const entries: ItemEntry[] = [];
    for (const item of candidates) {
      const target = held.get(keyIdentity(udsItemKey(item), UDS_KEY_NAMES));
      if (target && itemEquals(target, item)) continue;
      // A taken key is written only by `overwrite`; otherwise it is a conflict left as it is.
      if (target && onConflict !== 'overwrite') continue;
      entries.push(createdEntry(table, item, target));
    }
    await ahead.foresee(entries);
  }
  const looked = new Set(candidates.map((item) => keyIdentity(udsItemKey(item), UDS_KEY_NAMES)));
  return (item) => {
    const identity = keyIdentity(udsItemKey(item), UDS_KEY_NAMES);
    return looked.has(identity) ? { item: held.get(identity) } : undefined;
  };
}
