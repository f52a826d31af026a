/**
 * The per-user tables done by one parallel scan per table instead of one query per user and
 * table (issue 9: a plan that reads once, and an approved pass whose requests carry many
 * users' items at once).
 *
 * The plan is a dry run, so nothing moves under it: user u's queries find exactly the items
 * whose finder attribute (the table's hash key, or its GSI's) holds u's OLD id, as stored
 * before the run. A scan that keeps those items, and applies the same rule with the same
 * context to each, plans what the per-user dry runs planned, item for item.
 *
 * The approved pass runs the same scan with real writes, after every user's copies and
 * conversions (their order per user is kept: pointers move after their data, conversions read
 * the rows before they move). Items move under it, and a moved item may be met again further
 * on: it then carries the new id, which is no user's old id (the CSV refuses chains), so the
 * scan does not select it; where the ids are equal (scenario B) the rule finds nothing more
 * to change. (A map accepted with --allow-chains can move such an item again, as the
 * per-user queries could: docs/decisions/0009.) Items a live application writes for a user during the pass are found as the
 * user's query would have found them: when the scan reaches them.
 *
 * The context differs per owner in one place: a user whose own copies or conversions had
 * (planned) a conflict or a failure does not move pointers (pointersReady), so the scan
 * takes those users' old ids along.
 */
import { getString, type Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import { ownerAttribute } from '../rules/outsiders';
import type { TableRule } from '../rules/types';
import type { TableKey } from '../deployment/catalogue';
import { TABLE_RULES } from '../rules';

/**
 * Items a plan scan may read per user of the map before per-user queries are cheaper: a
 * query costs at least one request per user and table, a scan page of this many items one.
 * A table far larger than the map (a pilot of a few users on a big deployment) is planned by
 * the per-user queries, as before.
 */
export const PLAN_SCAN_ITEMS_PER_USER = 200;

/**
 * The per-user tables whose plan is one scan: their rule applies to some user of the map, and
 * preflight's item count (DynamoDB's estimate) is known and at most PLAN_SCAN_ITEMS_PER_USER
 * per user. An unknown count keeps the per-user queries.
 */
export function tablesPlannedByScan(users: number, changesAnyId: boolean, itemCount: (table: TableKey) => number | undefined): TableKey[] {
  return TABLE_RULES.filter((r) => r.finder.kind !== 'scan' && (r.when === 'always' || changesAnyId))
    .map((r) => r.table)
    .filter((table) => {
      const count = itemCount(table);
      return count !== undefined && count <= PLAN_SCAN_ITEMS_PER_USER * users;
    });
}

/**
 * The old id of the user whose per-user query finds `item`, or undefined when no user's does:
 * the finder attribute is not an old id of the map, or the rule only runs for changing ids
 * (idChanged) and this user's does not change.
 */
export function plannedOwner(rule: TableRule, ids: IdMap): (item: Item) => string | undefined {
  const attribute = ownerAttribute(rule);
  if (!attribute) throw new Error(`${rule.table} is a scanned table: its plan is its own scan`);
  return (item) => {
    const value = getString(item, attribute);
    if (value === undefined) return undefined;
    const newId = ids.lookup(value);
    if (newId === undefined) return undefined;
    return rule.when === 'always' || newId !== value ? value : undefined;
  };
}

/** The rule as the owner's pass applies it: pointers stay for an owner whose copies are not ready. */
export function withOwnersPointers(rule: TableRule, ownerOf: (item: Item) => string | undefined, pointersNotReady: ReadonlySet<string>): TableRule {
  if (pointersNotReady.size === 0) return rule;
  return {
    ...rule,
    rewrite: (item, ctx) => {
      const owner = ownerOf(item);
      return rule.rewrite(item, owner !== undefined && pointersNotReady.has(owner) ? { ...ctx, pointersReady: false } : ctx);
    },
  };
}
