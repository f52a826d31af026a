import { API_KEYS_RULE, ASSISTANT_GROUPS_RULE, OBJECT_ACCESS_RULE, mergeMemberPermission } from '../../../src/rules/objectAccess';
import { SAME_CTX, SWAP_CTX, expectUnchanged, rewrite } from './support';

describe('object access (§8.7)', () => {
  it('maps principal_id and keeps object_id even when it embeds the old id', () => {
    const item = {
      object_id: { S: 'bob@x.com/2024-05-01/5c1d.json' },
      principal_id: { S: 'bob@x.com' },
      principal_type: { S: 'user' },
      permission_level: { S: 'owner' },
      policy: { NULL: true as const },
    };
    expect(rewrite(OBJECT_ACCESS_RULE, item)).toEqual({ ...item, principal_id: { S: 'sub-bob' } });
    expectUnchanged(OBJECT_ACCESS_RULE, item, SAME_CTX);
  });
});

describe('amplify groups (§8.10)', () => {
  const item = {
    group_id: { S: 'Eng_1a2b' },
    groupName: { S: 'Eng' },
    createdBy: { S: 'zoë@x.com' },
    members: { M: { 'bob@x.com': { S: 'write' }, 'bobby@x.com': { S: 'read' }, 'dave@x.com': { S: 'admin' } } },
    assistants: { L: [{ S: 'astgp/1' }] },
    isPublic: { BOOL: false },
  };

  it('maps createdBy and member keys, permissions kept', () => {
    expect(rewrite(ASSISTANT_GROUPS_RULE, item)).toEqual({
      ...item,
      createdBy: { S: 'sub-zoë' },
      members: { M: { 'sub-bob': { S: 'write' }, 'sub-bobby': { S: 'read' }, 'dave@x.com': { S: 'admin' } } },
    });
    expectUnchanged(ASSISTANT_GROUPS_RULE, item, SAME_CTX);
    expectUnchanged(ASSISTANT_GROUPS_RULE, { ...item, createdBy: { S: 'x' }, members: { M: { 'bob@x.co': { S: 'read' } } } });
  });

  it('a user already a member under the new id keeps the stronger permission', () => {
    const both = { group_id: { S: 'g' }, members: { M: { 'bob@x.com': { S: 'admin' }, 'sub-bob': { S: 'read' }, 'a+b@x.com': { S: 'read' }, 'sub-ab': { S: 'write' } } } };
    expect(rewrite(ASSISTANT_GROUPS_RULE, both)).toEqual({ group_id: { S: 'g' }, members: { M: { 'sub-bob': { S: 'admin' }, 'sub-ab': { S: 'write' } } } });
    expect(mergeMemberPermission({ S: 'custom' }, { S: 'admin' })).toEqual({ S: 'custom' });
  });

  it('swaps member keys without cascading', () => {
    const swap = { group_id: { S: 'g' }, members: { M: { 'bob@x.com': { S: 'read' }, 'bobby@x.com': { S: 'admin' } } } };
    expect(rewrite(ASSISTANT_GROUPS_RULE, swap, SWAP_CTX)).toEqual({ group_id: { S: 'g' }, members: { M: { 'bobby@x.com': { S: 'read' }, 'bob@x.com': { S: 'admin' } } } });
  });
});

describe('api keys (§8.2)', () => {
  it('maps owner and delegate, keeps api_owner_id and the rest', () => {
    const item = {
      api_owner_id: { S: 'bob@x.com/delegateKey/77aa' },
      owner: { S: 'bob@x.com' },
      delegate: { S: 'carol smith@x.com' },
      apiKey: { S: 'amp-xyz' },
      account: { M: { id: { S: '123.456' } } },
      lastAccessed: { S: '2024-05-01' },
      active: { BOOL: true },
      rateLimit: { M: { rate: { N: '100.00' } } },
    };
    expect(rewrite(API_KEYS_RULE, item)).toEqual({ ...item, owner: { S: 'sub-bob' }, delegate: { S: 'sub-carol' } });
  });

  it('leaves group keys and other users alone', () => {
    expectUnchanged(API_KEYS_RULE, { api_owner_id: { S: 'Eng_1/ownerKey/1' }, owner: { S: 'Eng_1' }, delegate: { NULL: true as const } });
  });
});
