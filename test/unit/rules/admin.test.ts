import { AMPLIFY_ADMIN_RULE } from '../../../src/rules/admin';
import { SAME_CTX, SWAP_CTX, expectUnchanged, rewrite } from './support';

describe('admin configs (§8.5)', () => {
  it('admins: maps the list in order and keeps last_updated', () => {
    const item = {
      config_id: { S: 'admins' },
      data: { L: [{ S: 'dave@x.com' }, { S: 'bobby@x.com' }, { S: 'bob@x.com' }] },
      last_updated: { S: '2024-05-01T00:00:00Z' },
    };
    expect(rewrite(AMPLIFY_ADMIN_RULE, item)).toEqual({
      ...item,
      data: { L: [{ S: 'dave@x.com' }, { S: 'sub-bobby' }, { S: 'sub-bob' }] },
    });
    expectUnchanged(AMPLIFY_ADMIN_RULE, item, SAME_CTX);
  });

  it('admins: a user listed under both ids appears once, at its first place', () => {
    const item = { config_id: { S: 'admins' }, data: { L: [{ S: 'sub-bob' }, { S: 'dave' }, { S: 'bob@x.com' }] } };
    expect(rewrite(AMPLIFY_ADMIN_RULE, item)).toEqual({ config_id: { S: 'admins' }, data: { L: [{ S: 'sub-bob' }, { S: 'dave' }] } });
  });

  it('amplifyGroups: maps members and createdBy of every group, other group fields kept', () => {
    const item = {
      config_id: { S: 'amplifyGroups' },
      data: {
        M: {
          Engineering: {
            M: {
              groupName: { S: 'Engineering' },
              members: { L: [{ S: 'carol smith@x.com' }, { S: 'dave@x.com' }] },
              createdBy: { S: 'dept/alice' },
              includeFederatedGroups: { L: [{ S: 'fed-eng' }] },
              isBillingGroup: { BOOL: false },
            },
          },
          Empty: { M: { groupName: { S: 'Empty' }, createdBy: { S: 'dave@x.com' } } },
        },
      },
      last_updated: { S: '2024-05-01' },
    };
    const out = rewrite(AMPLIFY_ADMIN_RULE, item);
    expect(out).toEqual({
      ...item,
      data: {
        M: {
          Engineering: {
            M: {
              ...item.data.M.Engineering.M,
              members: { L: [{ S: 'sub-carol' }, { S: 'dave@x.com' }] },
              createdBy: { S: 'sub-alice' },
            },
          },
          Empty: item.data.M.Empty,
        },
      },
    });
  });

  it('featureFlags: maps userExceptions and keeps the flag settings', () => {
    const item = {
      config_id: { S: 'featureFlags' },
      data: {
        M: {
          assistants: { M: { enabled: { BOOL: true }, userExceptions: { L: [{ S: 'zoë@x.com' }] }, amplifyGroupExceptions: { L: [{ S: 'bob@x.com' }] } } },
          artifacts: { M: { enabled: { BOOL: false }, userExceptions: { L: [] } } },
        },
      },
    };
    expect(rewrite(AMPLIFY_ADMIN_RULE, item)).toEqual({
      ...item,
      data: {
        M: {
          assistants: { M: { enabled: { BOOL: true }, userExceptions: { L: [{ S: 'sub-zoë' }] }, amplifyGroupExceptions: { L: [{ S: 'bob@x.com' }] } } },
          artifacts: item.data.M.artifacts,
        },
      },
    });
  });

  it('leaves other configs untouched and swaps without cascading', () => {
    expectUnchanged(AMPLIFY_ADMIN_RULE, { config_id: { S: 'rateLimit' }, data: { L: [{ S: 'bob@x.com' }] } });
    expectUnchanged(AMPLIFY_ADMIN_RULE, { config_id: { S: 'toString' }, data: { L: [{ S: 'bob@x.com' }] } });
    expect(rewrite(AMPLIFY_ADMIN_RULE, { config_id: { S: 'admins' }, data: { L: [{ S: 'bob@x.com' }, { S: 'bobby@x.com' }] } }, SWAP_CTX)).toEqual({
      config_id: { S: 'admins' },
      data: { L: [{ S: 'bobby@x.com' }, { S: 'bob@x.com' }] },
    });
  });
});
