/**
 * The one fixture of the table-rule unit tests (test/unit/rules/**): the id map, the
 * contexts (pointers ready or not, same ids, swapped ids) and the assertions.
 */
import { itemEquals, type Item } from '../../../src/dynamo/attributeValue';
import { createIdMap, type IdPair } from '../../../src/idmap/types';
import type { RewriteContext, TableRule } from '../../../src/rules/types';

export const SUB_BOB = 'sub-bob';
export const SUB_BOBBY = 'sub-bobby';
export const CONSOLIDATION = 'amplify-t-lambda-dev-consolidation';

/** A scenario-A map with the awkward ids: prefixes of each other, '+', spaces, '/', '#', non-ASCII. */
export const PAIRS: IdPair[] = [
  { oldId: 'bob@x.com', newId: SUB_BOB },
  { oldId: 'bobby@x.com', newId: SUB_BOBBY },
  { oldId: 'a+b@x.com', newId: 'sub-ab' },
  { oldId: 'carol smith@x.com', newId: 'sub-carol' },
  { oldId: 'dept/alice', newId: 'sub-alice' },
  { oldId: 'hash#user', newId: 'sub-hash' },
  { oldId: 'zoë@x.com', newId: 'sub-zoë' },
  { oldId: 'same@x.com', newId: 'same@x.com' },
];

/** A context over `pairs`, pointers ready (their S3 data copied and verified). */
export const contextFor = (pairs: readonly IdPair[]): RewriteContext => ({
  ids: createIdMap(pairs),
  pointersReady: true,
  consolidationBucket: CONSOLIDATION,
});

export const CTX = contextFor(PAIRS);
/** The same map before the S3 data is verified: pointer attributes must stay. */
export const NOT_READY: RewriteContext = { ...CTX, pointersReady: false };
/** Scenario B: everyone keeps his id. */
export const SAME_CTX = contextFor(PAIRS.map((p) => ({ oldId: p.oldId, newId: p.oldId })));
/** Two users exchanging ids (allowed with --allow-chains): must not cascade. */
export const SWAP_CTX = contextFor([
  { oldId: 'bob@x.com', newId: 'bobby@x.com' },
  { oldId: 'bobby@x.com', newId: 'bob@x.com' },
]);

/** Runs the rewrite and checks it left its input untouched. */
export function rewrite(rule: TableRule, item: Item, ctx: RewriteContext = CTX): Item {
  const before = structuredClone(item);
  const out = rule.rewrite(item, ctx);
  expect(item).toEqual(before);
  return out;
}

/** Nothing references a mapped id: the rewrite returns its input itself (the TableRule contract). */
export function expectUnchanged(rule: TableRule, item: Item, ctx: RewriteContext = CTX): void {
  const out = rewrite(rule, item, ctx);
  expect(out).toBe(item);
  expect(itemEquals(out, item)).toBe(true);
}

/** Attributes the rules must carry through untouched, in their exact wire form. */
export const OPAQUE: Item = {
  count: { N: '12345678901234567890.123456789' },
  tags: { SS: ['bob@x.com', 'x'] },
  scores: { NS: ['1', '2.50'] },
  blob: { B: new Uint8Array([0, 1, 255]) },
  blobs: { BS: [new Uint8Array([7])] },
  flag: { BOOL: false },
  nothing: { NULL: true },
  nested: { M: { owner: { S: 'bob@x.com' }, list: { L: [{ S: 'bob@x.com' }, { N: '0' }] } } },
};
