/**
 * Table rules: one declarative entry per DynamoDB table of the full legacy flow (the
 * cognito-users gate, the ID-change block, the ALWAYS block). The rewrite engine
 * (activities/dynamo) reads them; adding a table is adding an entry and its unit test.
 */
import type { TableKey } from '../deployment/catalogue';
import type { Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';

/** How a user's items are found. */
export type Finder =
  /** Query the table where its hash key equals the old id. */
  | { kind: 'partitionKey' }
  /** Query a GSI whose hash key equals the old id. */
  | { kind: 'index'; index: string }
  /**
   * Ids sit where no key or index reaches (non-key attributes, composite ids without a
   * user GSI): one parallel scan per run applies the whole id map to every item.
   */
  | { kind: 'scan' };

/**
 * idChanged: the legacy FULL-ID block, run only for pairs whose id changes.
 * always: the legacy FULL-ALWAYS block and cognito-users, run for every pair.
 */
export type RunCondition = 'idChanged' | 'always';

export interface RewriteContext {
  ids: IdMap;
  /**
   * False while the S3 objects this user's pointers (s3 keys, memory keys ...) would point
   * at are not yet copied and verified: pointer attributes must then be left as they are
   * (pointers move after their data, docs/decisions/0002-pointers-move-after-their-data.md).
   */
  pointersReady: boolean;
  /** Physical name of the consolidation bucket, for rules that rewrite bucket+key pointers. */
  consolidationBucket: string;
}

export interface TableRule {
  table: TableKey;
  when: RunCondition;
  finder: Finder;
  /** One line for the plan: which attributes carry ids and how. */
  describe: string;
  /** Whether the rewrite can change the item's primary key (then the move is a transaction). */
  keyMayChange: boolean;
  /**
   * For rules found per user (key or GSI): set when an item may name users OTHER than the one
   * its finder reaches it by (a sharer, an editor, another user's assistant). The per-user
   * queries never see such items of users outside the map, so a once-per-run scan applies
   * this rule to them (src/rules/outsiders.ts). The text says which attributes, for the plan.
   */
  othersReferenced?: string;
  /**
   * Pure: the item with every id reference mapped through the whole id map. When nothing
   * references a mapped id it returns its input itself, not a copy: "unchanged" is then one
   * reference test, and the wrappers that skip items (src/rules/outsiders.ts, verification's
   * migratedItemsOnly) already answer that way. Otherwise a new object, which may share the
   * unchanged attributes with the input. Never mutates its input; callers never mutate the
   * result (the engine writes it as it is). The engine still compares with itemEquals, so a
   * rule that copies would only cost a comparison, never a wrong write.
   */
  rewrite(item: Item, ctx: RewriteContext): Item;
  /**
   * Pure: true when the item still holds an old id where this rule says it must be gone
   * (for the independent verification pass). Defaults to "rewrite would change it".
   */
  stillReferences?(item: Item, ctx: RewriteContext): boolean;
}
