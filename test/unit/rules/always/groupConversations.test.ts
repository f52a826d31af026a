import type { Item } from '../../../../src/dynamo/attributeValue';
import { GROUP_ASSISTANT_CONVERSATIONS_RULE } from '../../../../src/rules/always/groupConversations';
import { CTX, NOT_READY, SUB_BOB, SUB_BOBBY } from '../support';

const legacy: Item = {
  conversationId: { S: 'c-91' },
  assistantId: { S: 'astgp/7a8b-9c0d' },
  user: { S: 'bob@x.com' },
  s3Location: { S: 's3://amplify-v6-assistants-dev-group-conversations-content/astgp/7a8b-9c0d/c-91.txt' },
  timestamp: { N: '1741180800' },
};

describe('GROUP_ASSISTANT_CONVERSATIONS_RULE', () => {
  it('is found by the once-per-run scan and updated in place', () => {
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.finder).toEqual({ kind: 'scan' });
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.keyMayChange).toBe(false);
  });

  it('maps user and rewrites s3Location to the bare consolidation key when ready', () => {
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.rewrite(legacy, CTX)).toEqual({
      ...legacy,
      user: { S: SUB_BOB },
      s3Location: { S: 'agentConversations/astgp/7a8b-9c0d/c-91.txt' },
    });
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.rewrite(legacy, NOT_READY)).toEqual({ ...legacy, user: { S: SUB_BOB } });
  });

  it('applies the whole map to every scanned item and leaves others equal', () => {
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.rewrite({ ...legacy, user: { S: 'bobby@x.com' } }, NOT_READY).user).toEqual({ S: SUB_BOBBY });
    const stranger: Item = { conversationId: { S: 'c' }, user: { S: 'stranger@x.com' }, s3Location: { S: 'agentConversations/astgp/a/c.txt' } };
    expect(GROUP_ASSISTANT_CONVERSATIONS_RULE.rewrite(stranger, CTX)).toEqual(stranger);
  });
});
