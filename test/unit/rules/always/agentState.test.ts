import type { Item } from '../../../../src/dynamo/attributeValue';
import { AGENT_STATE_RULE } from '../../../../src/rules/always/agentState';
import { CTX, NOT_READY, SUB_BOB } from '../support';

const legacy: Item = {
  user: { S: 'bob@x.com' },
  sessionId: { S: 'sess-42' },
  createdAt: { N: '1741180800' },
  memory: {
    M: {
      bucket: { S: 'amplify-v6-agent-loop-dev-agent-state' },
      key: { S: 'bob@x.com/sess-42/agent_state.json' },
      size: { N: '2048' },
    },
  },
};

describe('AGENT_STATE_RULE', () => {
  it('moves the row to the new id and rewrites memory when pointers are ready', () => {
    const before = structuredClone(legacy);
    expect(AGENT_STATE_RULE.rewrite(legacy, CTX)).toEqual({
      user: { S: SUB_BOB },
      sessionId: { S: 'sess-42' },
      createdAt: { N: '1741180800' },
      memory: { M: { key: { S: `agentState/${SUB_BOB}/sess-42/agent_state.json` }, size: { N: '2048' } } },
    });
    expect(legacy).toEqual(before);
  });

  it('leaves memory pointers as they are until the objects are verified', () => {
    expect(AGENT_STATE_RULE.rewrite(legacy, NOT_READY)).toEqual({ ...legacy, user: { S: SUB_BOB } });
  });

  it('rewrites the split-state key agentState/{old}/…', () => {
    const item: Item = { user: { S: 'bob@x.com' }, sessionId: { S: 's' }, memory: { M: { key: { S: 'agentState/bob@x.com/s/index.json' } } } };
    expect(AGENT_STATE_RULE.rewrite(item, CTX).memory).toEqual({ M: { key: { S: `agentState/${SUB_BOB}/s/index.json` } } });
  });

  it('scenario B: same key, memory moves to agentState/{id}/…', () => {
    const item: Item = {
      user: { S: 'same@x.com' },
      sessionId: { S: 's' },
      memory: { M: { bucket: { S: 'legacy-bucket' }, key: { S: 'same@x.com/s/agent_state.json' } } },
    };
    expect(AGENT_STATE_RULE.rewrite(item, CTX)).toEqual({
      user: { S: 'same@x.com' },
      sessionId: { S: 's' },
      memory: { M: { key: { S: 'agentState/same@x.com/s/agent_state.json' } } },
    });
    expect(AGENT_STATE_RULE.rewrite(item, NOT_READY)).toEqual(item);
  });

  it('unwraps leftover type descriptors, keeping numbers as decimal strings', () => {
    const item: Item = {
      user: { S: 'bob@x.com' },
      sessionId: { S: 's' },
      memory: {
        M: {
          bucket: { M: { S: { S: 'legacy-bucket' } } },
          key: { M: { S: { M: { S: { S: 'bob@x.com/s/agent_state.json' } } } } },
          size: { M: { N: { S: '12.50' } } },
          meta: { M: { M: { M: { a: { S: 'b' } } } } },
          tags: { M: { x: { S: '1' }, y: { S: '2' } } },
        },
      },
    };
    expect(AGENT_STATE_RULE.rewrite(item, NOT_READY).memory).toEqual({
      M: {
        bucket: { S: 'legacy-bucket' },
        key: { S: 'bob@x.com/s/agent_state.json' },
        size: { N: '12.50' },
        meta: { M: { a: { S: 'b' } } },
        tags: { M: { x: { S: '1' }, y: { S: '2' } } },
      },
    });
    expect(AGENT_STATE_RULE.rewrite(item, CTX).memory).toEqual({
      M: {
        key: { S: `agentState/${SUB_BOB}/s/agent_state.json` },
        size: { N: '12.50' },
        meta: { M: { a: { S: 'b' } } },
        tags: { M: { x: { S: '1' }, y: { S: '2' } } },
      },
    });
  });

  it('returns an equal item for a migrated row and keeps unknown keys with their bucket', () => {
    const migrated: Item = { user: { S: SUB_BOB }, sessionId: { S: 's' }, memory: { M: { key: { S: `agentState/${SUB_BOB}/s/a.json` } } } };
    expect(AGENT_STATE_RULE.rewrite(migrated, CTX)).toEqual(migrated);
    const foreign: Item = { user: { S: 'bob@x.com' }, sessionId: { S: 's' }, memory: { M: { bucket: { S: 'b' }, key: { S: 'bobby@x.comm/s/a.json' } } } };
    expect(AGENT_STATE_RULE.rewrite(foreign, CTX)).toEqual({ ...foreign, user: { S: SUB_BOB } });
  });
});
