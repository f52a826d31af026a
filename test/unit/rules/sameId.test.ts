import { itemEquals, type Item } from '../../../src/dynamo/attributeValue';
import { COGNITO_USERS_RULE, ID_CHANGE_TABLE_RULES } from '../../../src/rules';
import { OPAQUE, SAME_CTX, contextFor, expectUnchanged, rewrite } from './support';

/** Every attribute any ID-change rule reads, each holding the old id bob@x.com in its format. */
const SATURATED: Item = {
  ...OPAQUE,
  config_id: { S: 'admins' },
  data: { L: [{ S: 'bob@x.com' }] },
  user: { S: 'bob@x.com' },
  user_id: { S: 'bob@x.com' },
  id: { S: 'bob@x.com/thr/1' },
  principal_id: { S: 'bob@x.com' },
  createdBy: { S: 'bob@x.com' },
  updatedBy: { S: 'bob@x.com' },
  owner: { S: 'bob@x.com' },
  delegate: { S: 'bob@x.com' },
  email: { S: 'bob@x.com' },
  allowedSenders: { L: [{ S: 'bob@x.com' }] },
  originalCreator: { S: 'bob@x.com' },
  userDate: { S: 'bob@x.com#2024-05-01' },
  user_integration: { S: 'bob@x.com/google' },
  PK: { S: 'bob@x.com#settings' },
  app_id: { S: 'bob@x.com' },
  creator: { S: 'bob@x.com' },
  mapped_by: { S: 'bob@x.com' },
  memory_type_id: { S: 'bob@x.com' },
  assistant_key: { S: 'bob@x.com/ast/1' },
  thread_key: { S: 'bob@x.com/thr/1' },
  members: { M: { 'bob@x.com': { S: 'read' } } },
  accessTo: { M: { users: { L: [{ S: 'bob@x.com' }] } } },
  pathHistory: { L: [{ M: { changedBy: { S: 'bob@x.com' } } }] },
};

/** `id` is a composite key in some tables and the user id itself in cost-calculations. */
const VARIANTS: Item[] = [SATURATED, { ...SATURATED, id: { S: 'bob@x.com' } }];

const RULES = [COGNITO_USERS_RULE, ...ID_CHANGE_TABLE_RULES].map((rule) => [rule.table, rule] as const);

describe.each(RULES)('%s', (_table, rule) => {
  it('returns an equal item when every id maps to itself (scenario B)', () => {
    for (const item of VARIANTS) expectUnchanged(rule, item, SAME_CTX);
  });

  it('returns an equal item when the map names other users only', () => {
    const others = contextFor([{ oldId: 'bob@x.co', newId: 'x' }, { oldId: 'ob@x.com', newId: 'y' }]);
    for (const item of VARIANTS) expectUnchanged(rule, item, others);
  });

  it('changes something for a mapped user and keeps the opaque attributes byte for byte', () => {
    const ctx = contextFor([{ oldId: 'bob@x.com', newId: 'sub-bob' }]);
    const changed = VARIANTS.filter((item) => {
      const out = rewrite(rule, item, ctx);
      for (const name of Object.keys(OPAQUE)) expect(out[name]).toBe(item[name]);
      return !itemEquals(out, item);
    });
    expect(changed.length).toBeGreaterThan(0);
  });
});
