/**
 * The legacy SHARES table row (one per recipient: `{id, user, name, data: [entries],
 * settings?, createdAt, updatedAt}`) → USER_DATA_STORAGE items:
 *
 * - each `data[]` entry `{sharedBy, sharedAt (ms), note, key}` → a `received` share under
 *   `{recipient}#amplify-shares#received`, SK `{sharer}#{YYYY-MM-DD}#{uuid}`;
 * - `settings` → the `user-settings` item, `data = {settings}`.
 *
 * The share's `data.key` points at the consolidation bucket (`shares/{recipient}/{sharer}/
 * {date}/{uuid}.json`, ids mapped segment by segment). Pointers move after their data: the
 * caller writes these items only once those share objects are copied and verified.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import { mapEverySegment } from '../rules/tokens';
import { buildUdsItem, deterministicUuid, describeKey, epochSecondsFrom, isOversized, type Problem, utcDate } from './item';
import { FAMILIES, USER_SETTINGS_SORT_KEY, receivedShareSortKey } from './sanitize';
import { type ConversionResult, isEmptyAttribute, listOfMaps, stringAttr } from './conversionSupport';

export const SHARES_PREFIX = 'shares/';

/** The share object's path under `shares/` (both the legacy and the consolidated form accepted). */
export function sharePath(key: string): string {
  return key.startsWith(SHARES_PREFIX) ? key.slice(SHARES_PREFIX.length) : key;
}

/** The consolidated share key with every whole path segment that is an old id mapped. */
export function consolidatedShareKey(key: string, ids: IdMap): string {
  return SHARES_PREFIX + mapEverySegment(sharePath(key), '/', ids);
}

export interface SharesConversion extends ConversionResult {
  /** Indexes of `data[]` entries converted into `items`; the legacy row may be retired only when all are. */
  convertedEntries: number[];
}

/**
 * @param row the SHARES_DYNAMODB_TABLE row of the old recipient id
 * @param newUserId the recipient's new id
 * @param ids the whole id map (sharers and key segments are mapped through it)
 */
export function convertReceivedShares(row: Item, newUserId: string, ids: IdMap): SharesConversion {
  const items: Item[] = [];
  const problems: Problem[] = [];
  const convertedEntries: number[] = [];
  const rowId = stringAttr(row, 'id') ?? stringAttr(row, 'user') ?? '';

  listOfMaps(row, 'data').forEach((entry, index) => {
    const sharedBy = stringAttr(entry, 'sharedBy');
    const key = stringAttr(entry, 'key');
    if (!sharedBy || !key) {
      // The legacy skipped these and then deleted the row, losing them (§12.4 item 11).
      problems.push({ severity: 'error', code: 'entry-incomplete', subject: `${rowId}[${index}]`, message: 'share entry without sharedBy or key' });
      return;
    }
    const newSharedBy = ids.lookup(sharedBy) ?? sharedBy;
    const sharedAtSeconds = epochSecondsFrom(entry.sharedAt);
    const date = shareDate(key) ?? (sharedAtSeconds !== undefined ? utcDate(sharedAtSeconds) : undefined);
    if (date === undefined) {
      problems.push({ severity: 'warning', code: 'date-fallback', subject: key, message: 'share has no date in its key nor a sharedAt; dated 1970-01-01' });
    }
    const item = buildUdsItem({
      partitionUser: newUserId,
      family: FAMILIES.receivedShares,
      // The share's own date and a hash of its object path (stable across the legacy and
      // consolidated key forms): a re-run mints the same SK. The legacy used the run date
      // and a random uuid (§9.8).
      sortKey: receivedShareSortKey(newSharedBy, date ?? '1970-01-01', deterministicUuid(`share\n${sharePath(key)}`)),
      data: {
        M: {
          sharedBy: { S: newSharedBy },
          note: entry.note ?? { S: '' },
          sharedAt: entry.sharedAt ?? { N: '0' },
          key: { S: consolidatedShareKey(key, ids) },
        },
      },
      createdAt: sharedAtSeconds ?? epochSecondsFrom(row.createdAt) ?? 0,
    });
    if (isOversized(item)) {
      problems.push({ severity: 'error', code: 'item-too-large', subject: key, message: `item ${describeKey(item)} exceeds 400 KB; not written` });
      return;
    }
    items.push(item);
    convertedEntries.push(index);
  });
  return { items, problems, convertedEntries };
}

/** The `YYYY-MM-DD` segment the sharing service put in the object path, if present. */
function shareDate(key: string): string | undefined {
  const segments = sharePath(key).split('/');
  const candidate = segments.length >= 2 ? segments[segments.length - 2] : undefined;
  return candidate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(candidate) ? candidate : undefined;
}

/**
 * The legacy user settings kept on the shares row → the `user-settings` item the service
 * reads (`data.settings`). The settings keep their stored types exactly (the legacy failed
 * silently on any number). No settings → no item.
 */
export function convertUserSettings(row: Item, newUserId: string): ConversionResult {
  const settings: AttributeValue | undefined = row.settings;
  if (isEmptyAttribute(settings)) return { items: [], problems: [] };
  const item = buildUdsItem({
    partitionUser: newUserId,
    family: FAMILIES.userSettings,
    sortKey: USER_SETTINGS_SORT_KEY,
    data: { M: { settings: settings as AttributeValue } },
    createdAt: epochSecondsFrom(row.createdAt) ?? epochSecondsFrom(row.updatedAt) ?? 0,
  });
  if (isOversized(item)) {
    return {
      items: [],
      problems: [{ severity: 'error', code: 'item-too-large', subject: stringAttr(row, 'id') ?? '', message: `item ${describeKey(item)} exceeds 400 KB; not written` }],
    };
  }
  return { items: [item], problems: [] };
}
