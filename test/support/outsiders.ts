/**
 * What an item of a user outside the CSV must look like after a scenario A migration, written
 * independently of src/rules: every token naming a migrated user mapped (a whole value, a
 * `/` or `#` segment, the recipient of a `shared-with-` key), a share key naming a migrated
 * user re-pointed under `shares/`; everything else as seeded. And the sweep that finds old
 * ids left anywhere.
 */
import { NOT_MIGRATED_TABLES, type TableKey } from '../../src/deployment/catalogue';
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';
import type { IdPair } from '../../src/idmap/types';

const SHARED_WITH = 'shared-with-';

function mapToken(value: string, byOld: ReadonlyMap<string, string>): string {
  const whole = byOld.get(value);
  if (whole !== undefined) return whole;
  if (value.startsWith(SHARED_WITH)) return SHARED_WITH + mapToken(value.slice(SHARED_WITH.length), byOld);
  for (const separator of ['/', '#']) {
    const parts = value.split(separator);
    if (parts.length > 1 && parts.some((p) => byOld.has(p))) return parts.map((p) => byOld.get(p) ?? p).join(separator);
  }
  return value;
}

/** The outsider's seeded item as a scenario A run must leave it. */
export function expectedOutsiderItem(table: TableKey, item: Item, pairs: readonly IdPair[]): Item {
  const byOld = new Map(pairs.map((p) => [p.oldId, p.newId]));
  const isShareKey = (path: string) =>
    (table === 'SHARES_DYNAMODB_TABLE' && path.endsWith('.key')) || (table === 'USER_DATA_STORAGE_TABLE' && path === 'data.key');
  const walk = (value: AttributeValue, path: string): AttributeValue => {
    if ('S' in value) {
      const mapped = mapToken(value.S, byOld);
      return { S: mapped !== value.S && isShareKey(path) ? `shares/${mapped}` : mapped };
    }
    if ('SS' in value) return { SS: value.SS.map((v) => mapToken(v, byOld)) };
    if ('L' in value) return { L: value.L.map((v) => walk(v, `${path}[]`)) };
    if ('M' in value) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, walk(v, `${path}.${k}`)])) };
    return value;
  };
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, walk(v, k)]));
}

/**
 * Attributes that keep the old id by design: the RAG file keys (id-migration.md §8.20),
 * api_owner_id (§8.2), and the user's email address in cognito-users (an address, which in
 * scenario A happens to be the old id, not a reference to the user).
 */
export const OLD_ID_BY_DESIGN: Partial<Record<TableKey, readonly string[]>> = {
  COGNITO_USERS_DYNAMODB_TABLE: ['email'],
  FILES_DYNAMO_TABLE: ['id'],
  OBJECT_ACCESS_DYNAMODB_TABLE: ['object_id'],
  HASH_FILES_DYNAMO_TABLE: ['textLocationKey', 'dataSourceKey'],
  EMBEDDING_PROGRESS_TABLE: ['object_id'],
  ASSISTANTS_DYNAMODB_TABLE: ['dataSources'],
  API_KEYS_DYNAMODB_TABLE: ['api_owner_id'],
};

/** Tables the migration never rewrites by design (never-migrated logs, the old user-storage table). */
export const TABLES_KEEPING_OLD_IDS = new Set<TableKey>([...(Object.keys(NOT_MIGRATED_TABLES) as TableKey[]), 'OLD_USER_STORAGE_TABLE']);

/** `table.attribute: old id` for every token in `item` naming a user whose id changed. */
export function oldIdsIn(table: TableKey, item: Item, pairs: readonly IdPair[]): string[] {
  const changed = new Set(pairs.filter((p) => p.oldId !== p.newId).map((p) => p.oldId));
  const strings = (v: AttributeValue): string[] => {
    if ('S' in v) return [v.S];
    if ('SS' in v) return v.SS;
    if ('L' in v) return v.L.flatMap(strings);
    if ('M' in v) return Object.entries(v.M).flatMap(([k, x]) => [k, ...strings(x)]);
    return [];
  };
  const tokens = (text: string) => [text, ...text.split(/[/#]/)].map((t) => (t.startsWith(SHARED_WITH) ? t.slice(SHARED_WITH.length) : t));
  const kept = new Set(OLD_ID_BY_DESIGN[table] ?? []);
  return Object.entries(item)
    .filter(([attribute]) => !kept.has(attribute))
    .flatMap(([attribute, value]) => [...new Set(strings(value).flatMap(tokens).filter((t) => changed.has(t)))].map((id) => `${table}.${attribute}: ${id}`));
}
