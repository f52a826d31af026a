import type { Item } from '../../../../src/dynamo/attributeValue';
import { SHARES_RULE } from '../../../../src/rules/always/shares';
import { CTX, NOT_READY, SUB_BOB, SUB_BOBBY, contextFor } from '../support';

const entry = (sharedBy: string, key: string): { M: Item } => ({
  M: { sharedBy: { S: sharedBy }, sharedAt: { N: '1741180800123' }, note: { S: 'have a look' }, key: { S: key } },
});

const legacy: Item = {
  id: { S: 'bob@x.com/3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7' },
  user: { S: 'bob@x.com' },
  name: { S: '/state/share' },
  data: {
    L: [
      entry('bobby@x.com', 'bob@x.com/bobby@x.com/2025-03-05/9f8e.json'),
      entry('stranger@x.com', 'bob@x.com/stranger@x.com/2025-03-06/7d6c.json'),
    ],
  },
  settings: { M: { theme: { S: 'dark' }, fontSize: { N: '14' } } },
  createdAt: { S: '2025-03-05T10:00:00Z' },
};

describe('SHARES_RULE', () => {
  it('uses the UserIndex and keeps the record (converted elsewhere, never deleted here)', () => {
    expect(SHARES_RULE.finder).toEqual({ kind: 'index', index: 'UserIndex' });
    expect(SHARES_RULE.keyMayChange).toBe(true);
  });

  it('maps id, user, sharedBy and the share keys when ready', () => {
    const before = structuredClone(legacy);
    expect(SHARES_RULE.rewrite(legacy, CTX)).toEqual({
      ...legacy,
      id: { S: `${SUB_BOB}/3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7` },
      user: { S: SUB_BOB },
      data: {
        L: [
          entry(SUB_BOBBY, `shares/${SUB_BOB}/${SUB_BOBBY}/2025-03-05/9f8e.json`),
          entry('stranger@x.com', `shares/${SUB_BOB}/stranger@x.com/2025-03-06/7d6c.json`),
        ],
      },
    });
    expect(legacy).toEqual(before);
  });

  it('leaves data.key alone until the share objects are verified', () => {
    expect(SHARES_RULE.rewrite(legacy, NOT_READY)).toEqual({
      ...legacy,
      id: { S: `${SUB_BOB}/3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7` },
      user: { S: SUB_BOB },
      data: {
        L: [
          entry(SUB_BOBBY, 'bob@x.com/bobby@x.com/2025-03-05/9f8e.json'),
          entry('stranger@x.com', 'bob@x.com/stranger@x.com/2025-03-06/7d6c.json'),
        ],
      },
    });
  });

  it('scenario B: the key stays; share keys get the shares/ layout when ready', () => {
    const item: Item = {
      id: { S: 'same@x.com/u-1' },
      user: { S: 'same@x.com' },
      data: { L: [entry('a+b@x.com', 'same@x.com/a+b@x.com/2025-01-02/u.json')] },
    };
    expect(SHARES_RULE.rewrite(item, NOT_READY)).toEqual({ ...item, data: { L: [entry('sub-ab', 'same@x.com/a+b@x.com/2025-01-02/u.json')] } });
    expect(SHARES_RULE.rewrite(item, CTX)).toEqual({ ...item, data: { L: [entry('sub-ab', 'shares/same@x.com/sub-ab/2025-01-02/u.json')] } });
  });

  it('does not cascade swapped ids', () => {
    const swap = contextFor([
      { oldId: 'a@x.com', newId: 'b@x.com' },
      { oldId: 'b@x.com', newId: 'a@x.com' },
    ]);
    const item: Item = { id: { S: 'a@x.com/u' }, user: { S: 'a@x.com' }, data: { L: [entry('b@x.com', 'a@x.com/b@x.com/2025-01-02/u.json')] } };
    expect(SHARES_RULE.rewrite(item, swap)).toEqual({
      id: { S: 'b@x.com/u' },
      user: { S: 'b@x.com' },
      data: { L: [entry('a@x.com', 'shares/b@x.com/a@x.com/2025-01-02/u.json')] },
    });
  });
});
