import type { Item } from '../../../src/dynamo/attributeValue';
import { decodeChunk, encodeChunk, LedgerFormatError } from '../../../src/ledger/codec';
import { judgeItem, judgeObject, judgeParameter, revertSteps } from '../../../src/ledger/plan';
import type { ItemEntry, LedgerEntry } from '../../../src/ledger/types';

const key = (pk: string, sk = 'x'): Item => ({ PK: { S: pk }, SK: { S: sk } });
const item = (pk: string, extra: Item = {}): Item => ({ ...key(pk), ...extra });

const move = (from: string, to: string, extra: Item = {}): ItemEntry => ({
  kind: 'item',
  table: 't',
  oldKey: key(from),
  old: item(from, extra),
  newKey: key(to),
  new: item(to, extra),
});

describe('ledger codec', () => {
  it('round-trips every entry kind and every attribute type exactly', () => {
    const typed: Item = {
      n: { N: '1.50' },
      b: { B: new Uint8Array([0, 1, 255]) },
      bs: { BS: [new Uint8Array([1])] },
      ss: { SS: ['b', 'a'] },
      m: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } },
      __proto__x: { S: 'zoë' },
    };
    const entries: LedgerEntry[] = [
      move('alice@x', 'sub-1', typed),
      { kind: 'item', table: 'uds', newKey: key('u'), new: item('u', typed) },
      { kind: 'item', table: 't', oldKey: key('k'), old: item('k'), newKey: key('k'), new: item('k', { a: { S: 'y' } }), replaced: item('k') },
      { kind: 'object', bucket: 'b', key: 'a b+ü/x.json', etag: '"e"', versionId: 'v1', confirmed: true },
      { kind: 'object', bucket: 'b', key: 'k', confirmed: false },
      { kind: 'parameter', name: '/a/b', previous: 'old', value: 'new' },
      { kind: 'parameter', name: '/a/c', value: 'v' },
      { kind: 'cleanup', source: 'S3_X' },
    ];
    const body = encodeChunk(entries);
    expect(body.split('\n')).toHaveLength(entries.length + 1);
    expect(decodeChunk(body, 'c')).toEqual(entries);
  });

  it('refuses a bad line naming the chunk and line, and a truncated chunk', () => {
    const good = encodeChunk([{ kind: 'parameter', name: 'p', value: 'v' }]);
    expect(() => decodeChunk(`${good}{"kind":"item","table":"t"}\n`, 'chunk-1')).toThrow(new LedgerFormatError('chunk-1 line 2: an item entry needs "newKey" and "new"'));
    expect(() => decodeChunk(`${good}nope\n`, 'chunk-1')).toThrow(/chunk-1 line 2: not JSON/);
    expect(() => decodeChunk(good.slice(0, -1), 'chunk-1')).toThrow(/truncated/);
    expect(() => decodeChunk('{"kind":"rename"}\n', 'c')).toThrow('c line 1: unknown entry kind "rename"');
  });
});

describe('revert steps', () => {
  it('dedupes a retried attempt and undoes the last write first', () => {
    const a = move('a', 'A');
    const b = move('b', 'B');
    const p = { kind: 'parameter' as const, name: 'p', value: 'v' };
    const plan = revertSteps([a, b, a, p, b]);
    expect(plan.steps).toEqual([p, b, a]);
    expect(plan.superseded).toBe(2);
    // Replaying the plan of a doubled ledger gives the same steps.
    expect(revertSteps([a, b, a, p, b, a, b, a, p, b]).steps).toEqual(plan.steps);
  });

  it('drops an entry whose write never happened (the next write on that key read something else)', () => {
    const first = move('a', 'A', { v: { S: '1' } });
    const retried = move('a', 'A', { v: { S: '2' } });
    expect(revertSteps([first, retried]).steps).toEqual([retried]);
  });

  it('keeps chained writes to one key, so they unwind in reverse', () => {
    const one: ItemEntry = { kind: 'item', table: 't', oldKey: key('k'), old: item('k', { v: { S: '0' } }), newKey: key('k'), new: item('k', { v: { S: '1' } }) };
    const two: ItemEntry = { ...one, old: one.new, new: item('k', { v: { S: '2' } }) };
    expect(revertSteps([one, two]).steps).toEqual([two, one]);
  });

  it('reports cleanup markers', () => {
    expect(revertSteps([move('a', 'A'), { kind: 'cleanup', source: 'S3_A' }]).cleanupSources).toEqual(['S3_A']);
  });

  it('keeps only the last copy of an object key', () => {
    const one = { kind: 'object' as const, bucket: 'b', key: 'k', etag: '"1"', confirmed: false };
    const two = { ...one, confirmed: true, versionId: 'v' };
    expect(revertSteps([one, two]).steps).toEqual([two]);
  });
});

describe('verdicts', () => {
  const m = move('a', 'A', { v: { S: '1' } });

  it('a move: undo while untouched, done once back, conflict when the app wrote', () => {
    expect(judgeItem(m, { atNew: m.new })).toBe('undo');
    expect(judgeItem(m, { atOld: m.old })).toBe('done');
    expect(judgeItem(m, { atNew: { ...m.new, v: { S: 'app' } } })).toBe('conflict');
    expect(judgeItem(m, { atOld: m.old, atNew: m.new })).toBe('conflict');
  });

  it('an in-place update looks only at the attributes it changed', () => {
    const u: ItemEntry = { kind: 'item', table: 't', oldKey: key('k'), old: item('k', { v: { S: 'old' }, o: { S: '1' } }), newKey: key('k'), new: item('k', { v: { S: 'new' }, o: { S: '1' } }) };
    expect(judgeItem(u, { atOld: u.new, atNew: u.new })).toBe('undo');
    expect(judgeItem(u, { atNew: { ...u.new, o: { S: 'app' } } })).toBe('undo');
    expect(judgeItem(u, { atNew: u.old })).toBe('done');
    expect(judgeItem(u, { atNew: { ...u.new, v: { S: 'app' } } })).toBe('conflict');
    expect(judgeItem(u, {})).toBe('conflict');
  });

  it('a created item: undo while identical, done when gone, conflict when changed', () => {
    const c: ItemEntry = { kind: 'item', table: 'uds', newKey: key('u'), new: item('u', { d: { S: '1' } }) };
    expect(judgeItem(c, { atNew: c.new })).toBe('undo');
    expect(judgeItem(c, {})).toBe('done');
    expect(judgeItem(c, { atNew: item('u', { d: { S: '2' } }) })).toBe('conflict');
  });

  it('objects by ETag, parameters by value', () => {
    const o = { kind: 'object' as const, bucket: 'b', key: 'k', etag: '"1"', confirmed: true };
    expect(judgeObject(o, { etag: '"1"' })).toBe('undo');
    expect(judgeObject(o, undefined)).toBe('done');
    expect(judgeObject(o, { etag: '"2"' })).toBe('conflict');
    const p = { kind: 'parameter' as const, name: 'p', previous: 'a', value: 'b' };
    expect(judgeParameter(p, 'b')).toBe('undo');
    expect(judgeParameter(p, 'a')).toBe('done');
    expect(judgeParameter(p, 'c')).toBe('conflict');
    expect(judgeParameter({ kind: 'parameter', name: 'p', value: 'b' }, undefined)).toBe('done');
  });
});
