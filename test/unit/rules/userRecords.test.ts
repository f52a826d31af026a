import { COGNITO_USERS_RULE } from '../../../src/rules/cognitoUsers';
import {
  ACCOUNTS_RULE,
  AGENT_EVENT_TEMPLATES_RULE,
  DATA_DISCLOSURE_ACCEPTANCE_RULE,
  DB_CONNECTIONS_RULE,
  OPS_RULE,
  USER_TAGS_RULE,
} from '../../../src/rules/userRecords';
import { OPAQUE, SAME_CTX, SWAP_CTX, expectUnchanged, rewrite } from './support';

describe('cognito-users (§7.2)', () => {
  const item = {
    user_id: { S: 'carol smith@x.com' },
    email: { S: 'carol smith@x.com' },
    username: { S: 'carol smith@x.com' },
    created: { N: '1700000000' },
  };

  it('moves user_id to the new id and copies every other attribute unchanged', () => {
    expect(rewrite(COGNITO_USERS_RULE, item)).toEqual({ ...item, user_id: { S: 'sub-carol' } });
  });

  it('leaves the record as it is when the id does not change (the legacy deleted it)', () => {
    expectUnchanged(COGNITO_USERS_RULE, item, SAME_CTX);
    expectUnchanged(COGNITO_USERS_RULE, { ...item, user_id: { S: 'same@x.com' } });
  });
});

describe.each([
  ['accounts (§8.1)', ACCOUNTS_RULE, { accounts: { L: [{ M: { id: { S: '123.456' }, name: { S: 'Main' }, isDefault: { BOOL: true } } }] } }],
  ['ops (§8.3)', OPS_RULE, { tag: { S: 'default' }, ops: { L: [{ M: { id: { S: 'op1' } } }] } }],
  ['agent event templates (§8.6)', AGENT_EVENT_TEMPLATES_RULE, { tag: { S: 'welcome' }, prompt: { S: 'Hi bob@x.com' } }],
  ['data disclosure acceptance (§8.17)', DATA_DISCLOSURE_ACCEPTANCE_RULE, { acceptedAt: { S: '2024-05-01T00:00:00Z' }, version: { N: '3' } }],
  ['db connections (§8.18)', DB_CONNECTIONS_RULE, { id: { S: 'c6a1-uuid' }, name: { S: 'warehouse' }, port: { N: '5432' } }],
  ['user tags (§8.26)', USER_TAGS_RULE, { tags: { SS: ['work', 'bob@x.com'] } }],
])('%s', (_name, rule, rest) => {
  it('maps user and nothing else', () => {
    const item = { ...rest, ...OPAQUE, user: { S: 'bob@x.com' } };
    expect(rewrite(rule, item)).toEqual({ ...rest, ...OPAQUE, user: { S: 'sub-bob' } });
  });

  it('never touches a user whose id only starts like an old id, nor users outside the map', () => {
    expectUnchanged(rule, { ...rest, user: { S: 'bob@x.com.au' } });
    expectUnchanged(rule, { ...rest, user: { S: 'dave@x.com' } });
  });

  it('maps ids with +, spaces, / and non-ASCII exactly', () => {
    for (const [oldId, newId] of [
      ['a+b@x.com', 'sub-ab'],
      ['carol smith@x.com', 'sub-carol'],
      ['dept/alice', 'sub-alice'],
      ['zoë@x.com', 'sub-zoë'],
    ]) {
      expect(rewrite(rule, { ...rest, user: { S: oldId } })).toEqual({ ...rest, user: { S: newId } });
    }
  });

  it('returns an equal item for same-id pairs, and swaps without cascading', () => {
    expectUnchanged(rule, { ...rest, user: { S: 'bob@x.com' } }, SAME_CTX);
    expect(rewrite(rule, { ...rest, user: { S: 'bob@x.com' } }, SWAP_CTX)).toEqual({ ...rest, user: { S: 'bobby@x.com' } });
    expect(rewrite(rule, { ...rest, user: { S: 'bobby@x.com' } }, SWAP_CTX)).toEqual({ ...rest, user: { S: 'bob@x.com' } });
  });
});
