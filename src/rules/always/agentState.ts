/**
 * AGENT_STATE_DYNAMODB_TABLE (id-migration.md §9.1), key `user` + `sessionId`.
 * - `user` (hash key) → new id: the item moves (a transaction, never put-then-delete on an
 *   unchanged key, DECISIONS.md §3).
 * - `memory` fields that are leftover type descriptors (`{"S": x}`, `{"N": "12"}`,
 *   `{"M": {...}}` stored as one-key maps) are unwrapped as the legacy did; a number stays a
 *   decimal string (the legacy's float conversion made its put fail).
 * - Pointers (only when ctx.pointersReady): `memory.key` `{old}/…` or `agentState/{old}/…` →
 *   `agentState/{new}/…` and `memory.bucket` dropped (src/s3layout agentStateMemory).
 */
import { isM, isS, type AttributeValue, type Item } from '../../dynamo/attributeValue';
import { agentStateMemory } from '../../s3layout/pointers';
import { mapWhole } from '../tokens';
import type { RewriteContext, TableRule } from '../types';
import { mapMapAttribute, mapStringAttribute, pipe, withAttribute } from './wire';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One level of a leftover `{S|N|M: inner}` descriptor, or the value itself. */
function unwrapDescriptor(value: AttributeValue): AttributeValue {
  if (!isM(value)) return value;
  const names = Object.keys(value.M);
  if (names.length !== 1) return value;
  const inner = value.M[names[0]];
  switch (names[0]) {
    case 'S':
    case 'M':
      return inner;
    case 'N':
      if ('N' in inner) return inner;
      return isS(inner) && NUMBER.test(inner.S) ? { N: inner.S } : value;
    default:
      return value;
  }
}

function unwrapMemory(memory: Item): Item {
  let out = memory;
  for (const [name, value] of Object.entries(memory)) {
    let unwrapped = unwrapDescriptor(value);
    // The legacy also read a doubly wrapped key, `{"S": {"S": "…"}}`.
    if (name === 'key' && unwrapped !== value) unwrapped = unwrapDescriptor(unwrapped);
    out = withAttribute(out, name, unwrapped);
  }
  return out;
}

function rewriteMemoryPointer(memory: Item, ctx: RewriteContext): Item {
  const key = memory.key;
  if (!isS(key)) return memory;
  const current = { key: key.S };
  const next = agentStateMemory(current, ctx.ids);
  if (next === current) return memory;
  // A mapped key lives in the consolidation bucket: the bucket goes, whatever its form.
  const newKey = next.key ?? key.S;
  return withAttribute(withAttribute(memory, 'key', newKey === key.S ? key : { S: newKey }), 'bucket', undefined);
}

export const AGENT_STATE_RULE: TableRule = {
  table: 'AGENT_STATE_DYNAMODB_TABLE',
  when: 'always',
  finder: { kind: 'partitionKey' },
  describe:
    'user (hash key) → new id; memory type descriptors unwrapped; pointers: memory.key → agentState/{new}/…, memory.bucket removed',
  keyMayChange: true,
  rewrite: (item, ctx) =>
    pipe(
      item,
      (i) => mapStringAttribute(i, 'user', (user) => mapWhole(user, ctx.ids)),
      (i) => mapMapAttribute(i, 'memory', unwrapMemory),
      (i) => (ctx.pointersReady ? mapMapAttribute(i, 'memory', (m) => rewriteMemoryPointer(m, ctx)) : i),
    ),
};
