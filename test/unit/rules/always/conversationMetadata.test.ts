import type { Item } from '../../../../src/dynamo/attributeValue';
import { CONVERSATION_METADATA_RULE } from '../../../../src/rules/always/conversationMetadata';
import { CTX, NOT_READY, SUB_BOB } from '../support';

const legacy: Item = {
  user_id: { S: 'bob@x.com' },
  conversation_id: { S: '0f3e9c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b' },
  s3_key: { S: 'bob@x.com/0f3e9c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b' },
  name: { S: 'Trip plan' },
  last_modified: { S: '2025-03-05T10:00:00Z' },
  tags: { SS: ['travel', 'personal'] },
};

describe('CONVERSATION_METADATA_RULE', () => {
  it('moves the row and points s3_key at conversations/{new}/…', () => {
    const before = structuredClone(legacy);
    expect(CONVERSATION_METADATA_RULE.rewrite(legacy, CTX)).toEqual({
      ...legacy,
      user_id: { S: SUB_BOB },
      s3_key: { S: `conversations/${SUB_BOB}/0f3e9c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b` },
    });
    expect(legacy).toEqual(before);
  });

  it('leaves s3_key until the conversations are verified', () => {
    expect(CONVERSATION_METADATA_RULE.rewrite(legacy, NOT_READY)).toEqual({ ...legacy, user_id: { S: SUB_BOB } });
  });

  it('rewrites the split-state pointer the legacy left stale', () => {
    const item: Item = { ...legacy, s3_key: { S: 'conversations/bob@x.com/c-1' } };
    expect(CONVERSATION_METADATA_RULE.rewrite(item, CTX).s3_key).toEqual({ S: `conversations/${SUB_BOB}/c-1` });
  });

  it('scenario B: the key stays, the pointer moves to conversations/{id}/…', () => {
    const item: Item = { user_id: { S: 'same@x.com' }, conversation_id: { S: 'c 1' }, s3_key: { S: 'same@x.com/c 1' } };
    expect(CONVERSATION_METADATA_RULE.rewrite(item, NOT_READY)).toEqual(item);
    expect(CONVERSATION_METADATA_RULE.rewrite(item, CTX)).toEqual({ ...item, s3_key: { S: 'conversations/same@x.com/c 1' } });
  });
});
