import type { Item } from '../../../src/dynamo/attributeValue';
import { serializeIdMapCsv } from '../../../src/idmap/csv';
import { compareCodePoints, pairsFromCognitoPool, pairsFromCognitoUsersTable } from '../../../src/idmap/generate';

describe('pairsFromCognitoUsersTable (--no-id-change)', () => {
  it('maps every non-empty user_id to itself, sorted by code point, once', () => {
    const items: Item[] = [
      { user_id: { S: 'zoe@x.com' }, email: { S: 'zoe@x.com' } },
      { user_id: { S: 'Bob@x.com' } },
      { user_id: { S: '' } },
      { other: { S: 'no id' } },
      { user_id: { N: '5' } },
      { user_id: { S: 'alice@x.com' } },
      { user_id: { S: 'alice@x.com' } },
      { user_id: { S: '\u{1F600}@x.com' } },
      { user_id: { S: '\uFFFF@x.com' } },
    ];
    expect(pairsFromCognitoUsersTable(items)).toEqual([
      { oldId: 'Bob@x.com', newId: 'Bob@x.com' },
      { oldId: 'alice@x.com', newId: 'alice@x.com' },
      { oldId: 'zoe@x.com', newId: 'zoe@x.com' },
      { oldId: '\uFFFF@x.com', newId: '\uFFFF@x.com' },
      { oldId: '\u{1F600}@x.com', newId: '\u{1F600}@x.com' },
    ]);
  });

  it('orders by code point as Python does, not by UTF-16 unit', () => {
    expect(compareCodePoints('\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'ab')).toBe(0);
  });
});

describe('pairsFromCognitoPool (--use-sub)', () => {
  it('maps email to sub, sorted by (email, sub), and reports users it skips', () => {
    const result = pairsFromCognitoPool([
      { username: 'u3', email: 'zoe@x.com', sub: 's3' },
      { username: 'u1', email: 'Bob@x.com', sub: 's1' },
      { username: 'u2', sub: 's2' },
      { username: 'u4', email: 'nosub@x.com' },
      { username: 'u5', email: 'dup@x.com', sub: 's5' },
      { username: 'u6', email: 'dup@x.com', sub: 's6' },
      { username: 'u7', email: 'alice@x.com', sub: 's7' },
    ]);
    expect(result.pairs).toEqual([
      { oldId: 'Bob@x.com', newId: 's1' },
      { oldId: 'alice@x.com', newId: 's7' },
      { oldId: 'zoe@x.com', newId: 's3' },
    ]);
    expect(result.skipped).toEqual([
      { username: 'u2', reason: 'missing email' },
      { username: 'u4', email: 'nosub@x.com', reason: 'missing sub' },
      { username: 'u5', email: 'dup@x.com', reason: 'email shared with another user' },
      { username: 'u6', email: 'dup@x.com', reason: 'email shared with another user' },
    ]);
    expect(serializeIdMapCsv(result.pairs)).toBe('old_id,new_id\nBob@x.com,s1\nalice@x.com,s7\nzoe@x.com,s3\n');
  });

  it('returns nothing for an empty pool', () => {
    expect(pairsFromCognitoPool([])).toEqual({ pairs: [], skipped: [] });
  });
});
