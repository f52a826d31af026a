/** The plan of the per-user tables by one scan each (issue 9): which items, under whose context. */
import { tableSchema, type TableKey } from '../../../src/deployment/catalogue';
import type { Item } from '../../../src/dynamo/attributeValue';
import { PLAN_SCAN_ITEMS_PER_USER, plannedOwner, tablesPlannedByScan, withOwnersPointers } from '../../../src/plan/userTablePlan';
import { perUserTables } from '../../../src/plan/steps';
import { TABLE_RULES } from '../../../src/rules';
import { ownerAttribute } from '../../../src/rules/outsiders';
import { CONVERSATION_METADATA_RULE } from '../../../src/rules/always/conversationMetadata';
import { DB_CONNECTIONS_RULE, USER_TAGS_RULE } from '../../../src/rules/userRecords';
import { contextFor, PAIRS } from '../rules/support';

const S = (s: string) => ({ S: s });
const ctx = contextFor(PAIRS);

describe('plannedOwner: the user whose per-user query finds an item', () => {
  const byKey = plannedOwner(USER_TAGS_RULE, ctx.ids);
  const byIndex = plannedOwner(DB_CONNECTIONS_RULE, ctx.ids);

  it('is the exact old id in the finder attribute (hash key, or the GSI hash key)', () => {
    expect(byKey({ user: S('bob@x.com') })).toBe('bob@x.com');
    expect(byKey({ user: S('bobby@x.com') })).toBe('bobby@x.com');
    expect(byKey({ user: S('zoë@x.com') })).toBe('zoë@x.com');
    expect(byIndex({ id: S('c1'), user: S('a+b@x.com') })).toBe('a+b@x.com');
  });

  it('is nobody for a prefix, a new id, an outsider, another type or a missing attribute', () => {
    expect(byKey({ user: S('bob@x.co') })).toBeUndefined();
    expect(byKey({ user: S('sub-bob') })).toBeUndefined();
    expect(byKey({ user: S('outsider@x.com') })).toBeUndefined();
    expect(byKey({ user: { N: '1' } } as Item)).toBeUndefined();
    expect(byIndex({ id: S('c2') })).toBeUndefined();
  });

  it('leaves a user whose id does not change to the rules that run for every pair', () => {
    expect(USER_TAGS_RULE.when).toBe('idChanged');
    expect(byKey({ user: S('same@x.com') })).toBeUndefined();
    expect(CONVERSATION_METADATA_RULE.when).toBe('always');
    expect(plannedOwner(CONVERSATION_METADATA_RULE, ctx.ids)({ user_id: S('same@x.com'), conversation_id: S('c') })).toBe('same@x.com');
  });

  it('finds exactly the items perUserTables sends each user to, table by table', () => {
    for (const rule of TABLE_RULES.filter((r) => r.finder.kind !== 'scan')) {
      for (const pair of PAIRS) {
        const queried = perUserTables(pair).includes(rule.table);
        const owner = plannedOwner(rule, ctx.ids);
        // An item whose finder attribute is this user's old id.
        const attribute = rule.finder.kind === 'partitionKey' ? 'hash' : 'index';
        expect({ table: rule.table, user: pair.oldId, attribute, found: owner(itemOwnedBy(rule.table, pair.oldId)) === pair.oldId }).toEqual({
          table: rule.table,
          user: pair.oldId,
          attribute,
          found: queried,
        });
      }
    }
  });
});

describe('withOwnersPointers', () => {
  const conversation: Item = { user_id: S('bob@x.com'), conversation_id: S('c1'), s3_key: S('bob@x.com/c1') };
  const other: Item = { user_id: S('bobby@x.com'), conversation_id: S('c2'), s3_key: S('bobby@x.com/c2') };
  const rule = withOwnersPointers(CONVERSATION_METADATA_RULE, plannedOwner(CONVERSATION_METADATA_RULE, ctx.ids), new Set(['bob@x.com']));

  it("keeps the pointers of an owner whose copies are not ready, and moves everyone else's", () => {
    expect(rule.rewrite(conversation, ctx)).toEqual({ ...conversation, user_id: S('sub-bob') });
    expect(rule.rewrite(other, ctx)).toEqual(CONVERSATION_METADATA_RULE.rewrite(other, ctx));
    expect(rule.rewrite(other, ctx).s3_key).toEqual(S('conversations/sub-bobby/c2'));
  });

  it('is the rule itself when every owner is ready', () => {
    expect(withOwnersPointers(CONVERSATION_METADATA_RULE, () => 'bob@x.com', new Set())).toBe(CONVERSATION_METADATA_RULE);
  });
});

describe('tablesPlannedByScan', () => {
  const perUser = TABLE_RULES.filter((r) => r.finder.kind !== 'scan');

  it('plans every per-user table by a scan when each holds at most its share per user', () => {
    expect(tablesPlannedByScan(10, true, () => PLAN_SCAN_ITEMS_PER_USER * 10)).toEqual(perUser.map((r) => r.table));
  });

  it('keeps the per-user queries for a table much larger than the map, or of unknown size', () => {
    const big = 'CONVERSATION_METADATA_TABLE';
    const planned = tablesPlannedByScan(10, true, (table) => (table === big ? PLAN_SCAN_ITEMS_PER_USER * 10 + 1 : table === 'USER_TAGS_DYNAMO_TABLE' ? undefined : 0));
    expect(planned).not.toContain(big);
    expect(planned).not.toContain('USER_TAGS_DYNAMO_TABLE');
    expect(planned).toHaveLength(perUser.length - 2);
  });

  it('leaves out the id-change tables when no id changes (scenario B)', () => {
    expect(tablesPlannedByScan(10, false, () => 0)).toEqual(perUser.filter((r) => r.when === 'always').map((r) => r.table));
  });
});

/** An item of `table` whose finder attribute (table or GSI hash key) is `oldId`, with the key attributes filled in. */
function itemOwnedBy(table: TableKey, oldId: string): Item {
  const rule = TABLE_RULES.find((r) => r.table === table)!;
  const schema = tableSchema(rule.table);
  const item: Item = { [schema.hash.name]: S('k'), ...(schema.range ? { [schema.range.name]: S('r') } : {}) };
  item[ownerAttribute(rule)!] = S(oldId);
  return item;
}
