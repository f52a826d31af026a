import type { Item } from '../../../../src/dynamo/attributeValue';
import { ARTIFACTS_RULE } from '../../../../src/rules/always/artifacts';
import { CTX, NOT_READY, SUB_BOB, SUB_BOBBY } from '../support';

const artifact = (key: string, extra: Item = {}): { M: Item } => ({
  M: {
    key: { S: key },
    artifactId: { S: 'Game' },
    name: { S: 'Game' },
    type: { S: 'code' },
    createdAt: { S: '2025-03-05T10:00:00Z' },
    tags: { L: [{ S: 'fun' }] },
    ...extra,
  },
});

const legacy: Item = {
  user_id: { S: 'bob@x.com' },
  artifacts: {
    L: [
      artifact('bob@x.com/20250305/Game:v3'),
      artifact('bob@x.com/20250306/Shared one:v1', { sharedBy: { S: 'bobby@x.com' } }),
      artifact('20250101/Already:v2'),
      artifact('bobby@x.com/20250307/Foreign:v1'),
    ],
  },
  createdAt: { N: '1741180800' },
  lastAccessed: { N: '1741267200' },
};

describe('ARTIFACTS_RULE', () => {
  it('moves the row, maps sharedBy and strips the owner prefix when pointers are ready', () => {
    const before = structuredClone(legacy);
    expect(ARTIFACTS_RULE.rewrite(legacy, CTX)).toEqual({
      user_id: { S: SUB_BOB },
      artifacts: {
        L: [
          artifact('20250305/Game:v3'),
          artifact('20250306/Shared one:v1', { sharedBy: { S: SUB_BOBBY } }),
          artifact('20250101/Already:v2'),
          artifact('bobby@x.com/20250307/Foreign:v1'),
        ],
      },
      createdAt: { N: '1741180800' },
      lastAccessed: { N: '1741267200' },
    });
    expect(legacy).toEqual(before);
  });

  it('keeps every key until the contents are verified (never shortens the list)', () => {
    expect(ARTIFACTS_RULE.rewrite(legacy, NOT_READY)).toEqual({
      ...legacy,
      user_id: { S: SUB_BOB },
      artifacts: {
        L: [
          artifact('bob@x.com/20250305/Game:v3'),
          artifact('bob@x.com/20250306/Shared one:v1', { sharedBy: { S: SUB_BOBBY } }),
          artifact('20250101/Already:v2'),
          artifact('bobby@x.com/20250307/Foreign:v1'),
        ],
      },
    });
  });

  it('strips keys on a second pass after the row already moved to the new id', () => {
    const moved: Item = { user_id: { S: SUB_BOB }, artifacts: { L: [artifact('bob@x.com/20250305/Game:v3')] } };
    expect(ARTIFACTS_RULE.rewrite(moved, CTX)).toEqual({ user_id: { S: SUB_BOB }, artifacts: { L: [artifact('20250305/Game:v3')] } });
  });

  it('scenario B: same key, keys stripped only when ready', () => {
    const item: Item = { user_id: { S: 'same@x.com' }, artifacts: { L: [artifact('same@x.com/20250305/Game:v3')] } };
    expect(ARTIFACTS_RULE.rewrite(item, NOT_READY)).toEqual(item);
    expect(ARTIFACTS_RULE.rewrite(item, CTX)).toEqual({ user_id: { S: 'same@x.com' }, artifacts: { L: [artifact('20250305/Game:v3')] } });
  });
});
