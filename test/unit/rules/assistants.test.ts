import type { Item } from '../../../src/dynamo/attributeValue';
import {
  ASSISTANTS_ALIASES_RULE,
  ASSISTANTS_RULE,
  ASSISTANT_LOOKUP_RULE,
  ASSISTANT_THREADS_RULE,
  ASSISTANT_THREAD_RUNS_RULE,
  LAYERED_ASSISTANTS_RULE,
} from '../../../src/rules/assistants';
import { OPAQUE, SAME_CTX, SWAP_CTX, expectUnchanged, rewrite } from './support';

describe('assistant aliases (§8.8)', () => {
  const item = { user: { S: 'bob@x.com' }, assistantId: { S: 'astp/123' }, createdAt: { S: '2024-01-01' }, data: { M: { id: { S: 'ast/9' } } } };
  it('maps user (hash key) and keeps nested data', () => {
    expect(rewrite(ASSISTANTS_ALIASES_RULE, item)).toEqual({ ...item, user: { S: 'sub-bob' } });
    expectUnchanged(ASSISTANTS_ALIASES_RULE, item, SAME_CTX);
  });
});

describe('assistants (§8.9)', () => {
  it('maps user in place and keeps id, assistantId and data (also without a name)', () => {
    const item = { id: { S: 'ast/77' }, assistantId: { S: 'astp/77' }, user: { S: 'zoë@x.com' }, version: { N: '2' }, data: { M: { provider: { S: 'amplify' } } } };
    expect(rewrite(ASSISTANTS_RULE, item)).toEqual({ ...item, user: { S: 'sub-zoë' } });
    expectUnchanged(ASSISTANTS_RULE, { ...item, user: { S: 'zoë@x.co' } });
  });
});

describe('assistant lookup (§8.11)', () => {
  const item: Item = {
    astPath: { S: 'team/helper' },
    assistantId: { S: 'astp/5' },
    createdBy: { S: 'dave@x.com' },
    accessTo: {
      M: {
        users: { L: [{ S: 'bobby@x.com' }, { S: 'bob@x.com' }, { S: 'erin@x.com' }] },
        amplifyGroups: { L: [{ S: 'bob@x.com' }] },
      },
    },
    pathHistory: {
      L: [
        { M: { changedBy: { S: 'dept/alice' }, changedAt: { S: '2024-02-01' }, previousId: { S: 'astp/4' } } },
        { M: { changedBy: { S: 'dave@x.com' }, changedAt: { S: '2024-03-01' } } },
      ],
    },
    public: { BOOL: true },
  };

  it('maps accessTo.users and pathHistory[].changedBy even on paths the user did not create', () => {
    expect(rewrite(ASSISTANT_LOOKUP_RULE, item)).toEqual({
      ...item,
      accessTo: { M: { users: { L: [{ S: 'sub-bobby' }, { S: 'sub-bob' }, { S: 'erin@x.com' }] }, amplifyGroups: { L: [{ S: 'bob@x.com' }] } } },
      pathHistory: {
        L: [
          { M: { changedBy: { S: 'sub-alice' }, changedAt: { S: '2024-02-01' }, previousId: { S: 'astp/4' } } },
          { M: { changedBy: { S: 'dave@x.com' }, changedAt: { S: '2024-03-01' } } },
        ],
      },
    });
  });

  it('maps createdBy and leaves unrelated paths equal', () => {
    expect(rewrite(ASSISTANT_LOOKUP_RULE, { astPath: { S: 'p' }, createdBy: { S: 'carol smith@x.com' } })).toEqual({
      astPath: { S: 'p' },
      createdBy: { S: 'sub-carol' },
    });
    expectUnchanged(ASSISTANT_LOOKUP_RULE, item, SAME_CTX);
    expectUnchanged(ASSISTANT_LOOKUP_RULE, { astPath: { S: 'p' }, createdBy: { S: 'x' }, accessTo: { M: { users: { SS: ['dave'] } } } });
  });

  it('maps a users string set too', () => {
    const out = rewrite(ASSISTANT_LOOKUP_RULE, { astPath: { S: 'p' }, accessTo: { M: { users: { SS: ['bob@x.com', 'dave'] } } } });
    expect(out).toEqual({ astPath: { S: 'p' }, accessTo: { M: { users: { SS: ['sub-bob', 'dave'] } } } });
  });
});

describe('layered assistants (§8.12)', () => {
  it('maps createdBy in place, group layered assistants included', () => {
    const item = { assistantId: { S: 'astgr/1' }, groupId: { S: 'g-1' }, createdBy: { S: 'a+b@x.com' }, updatedAt: { S: '2025-01-01' } };
    expect(rewrite(LAYERED_ASSISTANTS_RULE, item)).toEqual({ ...item, createdBy: { S: 'sub-ab' } });
    expectUnchanged(LAYERED_ASSISTANTS_RULE, item, SAME_CTX);
  });
});

describe('assistant threads (§8.13)', () => {
  it('maps user and the leading user segment of id', () => {
    const item = { id: { S: 'bob@x.com/thr/0f1e' }, user: { S: 'bob@x.com' }, openAiThreadId: { S: 'thread_abc' }, ...OPAQUE };
    expect(rewrite(ASSISTANT_THREADS_RULE, item)).toEqual({ ...item, id: { S: 'sub-bob/thr/0f1e' }, user: { S: 'sub-bob' } });
  });

  it('handles ids containing "/" and never maps a prefix', () => {
    expect(rewrite(ASSISTANT_THREADS_RULE, { id: { S: 'dept/alice/thr/9' }, user: { S: 'dept/alice' } })).toEqual({
      id: { S: 'sub-alice/thr/9' },
      user: { S: 'sub-alice' },
    });
    expectUnchanged(ASSISTANT_THREADS_RULE, { id: { S: 'bob@x.com.au/thr/1' }, user: { S: 'bob@x.com.au' } });
  });

  it('keeps an id of another format as it is (in place, no deletion) and swaps without cascading', () => {
    expect(rewrite(ASSISTANT_THREADS_RULE, { id: { S: 'thr-legacy-1' }, user: { S: 'bob@x.com' } })).toEqual({
      id: { S: 'thr-legacy-1' },
      user: { S: 'sub-bob' },
    });
    expect(rewrite(ASSISTANT_THREADS_RULE, { id: { S: 'bob@x.com/thr/1' }, user: { S: 'bob@x.com' } }, SWAP_CTX)).toEqual({
      id: { S: 'bobby@x.com/thr/1' },
      user: { S: 'bobby@x.com' },
    });
  });
});

describe('assistant thread runs (§8.14)', () => {
  it('maps user, id, assistant_key and thread_key, each by its own leading user', () => {
    const item = {
      id: { S: 'bob@x.com/run/r1' },
      user: { S: 'bob@x.com' },
      assistant_key: { S: 'zoë@x.com/ast/a1' },
      thread_key: { S: 'bob@x.com/thr/t1' },
      status: { S: 'completed' },
      tokens: { N: '0012' },
    };
    expect(rewrite(ASSISTANT_THREAD_RUNS_RULE, item)).toEqual({
      ...item,
      id: { S: 'sub-bob/run/r1' },
      user: { S: 'sub-bob' },
      assistant_key: { S: 'sub-zoë/ast/a1' },
      thread_key: { S: 'sub-bob/thr/t1' },
    });
    expectUnchanged(ASSISTANT_THREAD_RUNS_RULE, item, SAME_CTX);
  });
});
