/**
 * Items of users outside the id map that name users inside it (issue 10 §1): an outsider's
 * artifact shared by a migrated user, his share record of a migrated sharer, a file a
 * migrated user last edited. The per-user queries reach an item only through its owner (the
 * finder's hash attribute), so these are never seen there; a once-per-run scan applies the
 * rule to them instead. The rule maps through the whole map with exact tokens, so for an
 * owner outside the map only the tokens naming migrated users change; the owner's own ids
 * and everything else stay as stored.
 *
 * Items owned by a migrated user (under the old or the new id) are left to that user's
 * pass, whose pointers move only when that user's copies are verified.
 */
import { tableSchema } from '../deployment/catalogue';
import { getString, type Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import type { RewriteContext, TableRule } from './types';

/** The attribute a per-user rule finds a user's items by (table or GSI hash key); undefined for scans. */
export function ownerAttribute(rule: TableRule): string | undefined {
  const finder = rule.finder;
  if (finder.kind === 'scan') return undefined;
  const schema = tableSchema(rule.table);
  if (finder.kind === 'partitionKey') return schema.hash.name;
  const index = schema.indexes.find((i) => i.name === finder.index);
  if (!index) throw new Error(`${rule.table}: no index ${finder.index} in the catalogue`);
  return index.hash.name;
}

const ownersCache = new WeakMap<IdMap, ReadonlySet<string>>();

/** Every id a user of the map may own items under: old and new ids (built once per map). */
export function migratedOwners(ids: IdMap): ReadonlySet<string> {
  let owners = ownersCache.get(ids);
  if (!owners) {
    owners = new Set(ids.pairs.flatMap((p) => [p.oldId, p.newId]));
    ownersCache.set(ids, owners);
  }
  return owners;
}

/** True when the item belongs to a user of the map, i.e. that user's per-user pass rewrites it. */
export function ownedByMigratedUser(item: Item, owner: string, ids: IdMap): boolean {
  const value = getString(item, owner);
  return value !== undefined && migratedOwners(ids).has(value);
}

/** Per-user rules whose items may name other users: the tables of the once-per-run references pass. */
export function referencesOthers(rule: TableRule): boolean {
  return rule.finder.kind !== 'scan' && rule.othersReferenced !== undefined;
}

/**
 * The rule restricted to items NO user of the map owns (an absent owner attribute counts as
 * outside: no per-user query reaches such an item either). Items of migrated users come
 * back unchanged, so the scan never moves a pointer their own pass held back.
 */
export function outsidersItemsOnly(rule: TableRule): TableRule {
  const owner = ownerAttribute(rule);
  if (owner === undefined) throw new Error(`${rule.table} is read by a scan already: it needs no references pass`);
  return {
    ...rule,
    rewrite: (item: Item, ctx: RewriteContext) => (ownedByMigratedUser(item, owner, ctx.ids) ? item : rule.rewrite(item, ctx)),
  };
}
