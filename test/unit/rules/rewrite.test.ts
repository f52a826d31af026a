import type { AttributeValue, Item } from '../../../src/dynamo/attributeValue';
import {
  eachElement,
  eachMapValue,
  everySegmentId,
  fields,
  firstMatching,
  idKeyedMap,
  idList,
  inOrder,
  leadingId,
  pointer,
  rewriteAttributes,
  wholeId,
  type ValueContext,
} from '../../../src/rules/rewrite';
import { CTX, OPAQUE, contextFor } from './support';

/** A value rewrite's context: the run's, and an item it does not look at here. */
const vctx: ValueContext = { ...CTX, item: {} };
const keepExisting = (existing: AttributeValue) => existing;

describe('value rewrites', () => {
  it('wholeId maps exact strings only and returns the same reference otherwise', () => {
    expect(wholeId({ S: 'bob@x.com' }, vctx)).toEqual({ S: 'sub-bob' });
    const untouched = { S: 'bob@x.com.au' };
    expect(wholeId(untouched, vctx)).toBe(untouched);
    const number = { N: '1' };
    expect(wholeId(number, vctx)).toBe(number);
  });

  it('leadingId and everySegmentId map whole segments only', () => {
    expect(leadingId('/')({ S: 'dept/alice/thr/1' }, vctx)).toEqual({ S: 'sub-alice/thr/1' });
    expect(leadingId('#')({ S: 'bobby@x.com#2024-01-01' }, vctx)).toEqual({ S: 'sub-bobby#2024-01-01' });
    expect(everySegmentId('/')({ S: 'bob@x.com/thr/1/zoë@x.com/ast/2' }, vctx)).toEqual({ S: 'sub-bob/thr/1/sub-zoë/ast/2' });
  });

  it('firstMatching keeps the first rewrite that changes the value', () => {
    const rewrite = firstMatching(leadingId('#'), everySegmentId('/'));
    expect(rewrite({ S: 'bob@x.com#x#bob@x.com' }, vctx)).toEqual({ S: 'sub-bob#x#bob@x.com' });
    expect(rewrite({ S: 'a+b@x.com/thr/1' }, vctx)).toEqual({ S: 'sub-ab/thr/1' });
  });

  it('idList maps lists in order, keeps non-strings, de-duplicates sets always and lists on request', () => {
    const list = { L: [{ S: 'bob@x.com' }, { N: '3' }, { S: 'sub-bob' }, { S: 'dave' }] };
    expect(idList()(list, vctx)).toEqual({ L: [{ S: 'sub-bob' }, { N: '3' }, { S: 'sub-bob' }, { S: 'dave' }] });
    expect(idList({ dedupe: true })(list, vctx)).toEqual({ L: [{ S: 'sub-bob' }, { N: '3' }, { S: 'dave' }] });
    expect(idList()({ SS: ['bob@x.com', 'sub-bob', 'zoë@x.com'] }, vctx)).toEqual({ SS: ['sub-bob', 'sub-zoë'] });
    const dupes = { L: [{ S: 'dave' }, { S: 'dave' }] };
    expect(idList({ dedupe: true })(dupes, vctx)).toBe(dupes);
  });

  it('eachElement, fields and eachMapValue rewrite nested structures, sharing what did not change', () => {
    const nested = { M: { g1: { M: { owner: { S: 'bob@x.com' }, n: { N: '1' } } }, g2: { M: { owner: { S: 'dave' } } } } };
    const out = eachMapValue(fields({ owner: wholeId }))(nested, vctx) as { M: Record<string, AttributeValue> };
    expect(out).toEqual({ M: { g1: { M: { owner: { S: 'sub-bob' }, n: { N: '1' } } }, g2: { M: { owner: { S: 'dave' } } } } });
    expect(out.M.g2).toBe(nested.M.g2);
    const list = { L: [{ M: { by: { S: 'dept/alice' } } }, { S: 'bob@x.com' }] };
    expect(eachElement(fields({ by: wholeId }))(list, vctx)).toEqual({ L: [{ M: { by: { S: 'sub-alice' } } }, { S: 'bob@x.com' }] });
  });

  it('idKeyedMap renames keys and merges a moved entry onto an existing one', () => {
    const members = { M: { 'bob@x.com': { S: 'read' }, 'sub-bob': { S: 'write' }, dave: { S: 'admin' } } };
    expect(idKeyedMap(keepExisting)(members, vctx)).toEqual({ M: { 'sub-bob': { S: 'write' }, dave: { S: 'admin' } } });
    const swap = contextFor([
      { oldId: 'a', newId: 'b' },
      { oldId: 'b', newId: 'a' },
    ]);
    expect(idKeyedMap(keepExisting)({ M: { a: { S: 'read' }, b: { S: 'admin' } } }, { ...swap, item: {} })).toEqual({
      M: { b: { S: 'read' }, a: { S: 'admin' } },
    });
  });

  it('rewriteAttributes touches only the named attributes and keeps every other one as it is', () => {
    const item: Item = { ...OPAQUE, user: { S: 'bob@x.com' } };
    const out = rewriteAttributes({ user: wholeId, missing: wholeId })(item, CTX);
    expect(out).toEqual({ ...OPAQUE, user: { S: 'sub-bob' } });
    for (const name of Object.keys(OPAQUE)) expect(out[name]).toBe(item[name]);
  });

  it('pointer maps only when pointers are ready, and may remove the attribute', () => {
    const drop = rewriteAttributes({ key: pointer(() => undefined), user: wholeId });
    const item: Item = { user: { S: 'bob@x.com' }, key: { S: 'bob@x.com/1.json' }, n: { N: '1' } };
    expect(drop(item, CTX)).toEqual({ user: { S: 'sub-bob' }, n: { N: '1' } });
    expect(drop(item, { ...CTX, pointersReady: false })).toEqual({ user: { S: 'sub-bob' }, key: { S: 'bob@x.com/1.json' }, n: { N: '1' } });
    const byOwner = rewriteAttributes({ key: pointer((key, ctx) => `${key}@${ctx.item.user && 'S' in ctx.item.user ? ctx.item.user.S : ''}`) });
    expect(byOwner(item, CTX).key).toEqual({ S: 'bob@x.com/1.json@bob@x.com' });
  });

  it('inOrder applies each rewrite to the previous result', () => {
    const twice = inOrder(leadingId('/'), everySegmentId('#'));
    expect(twice({ S: 'bob@x.com/x#zoë@x.com' }, vctx)).toEqual({ S: 'sub-bob/x#sub-zoë' });
    const untouched = { S: 'dave/x#y' };
    expect(twice(untouched, vctx)).toBe(untouched);
  });

  it('rewriteAttributes returns the item itself when no named attribute changes', () => {
    const item: Item = { ...OPAQUE, user: { S: 'stranger@x.com' } };
    expect(rewriteAttributes({ user: wholeId, count: wholeId, missing: wholeId })(item, CTX)).toBe(item);
  });
});
