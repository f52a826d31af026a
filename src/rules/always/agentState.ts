/**
 * AGENT_STATE_DYNAMODB_TABLE, key `user` + `sessionId`.
 * - `user` (hash key) → new id: the item moves (a transaction; an unchanged key is never
 *   put-then-deleted).
 * - `memory` fields that are leftover type descriptors (`{"S": x}`, `{"N": "12"}`,
 *   `{"M": {...}}` stored as one-key maps) are unwrapped as the legacy did; a number stays a
 *   decimal string (the legacy's float conversion made its put fail).
 * - Pointers (only when ctx.pointersReady): `memory.key` `{old}/…` or `agentState/{old}/…` →
 *   `agentState/{new}/…` and `memory.bucket` dropped (src/s3layout agentStateMemory).
 */
import { isM, isS } from '../../dynamo/attributeValue';
import { agentStateMemory } from '../../s3layout/pointers';
import { byPartitionKey } from '../finders';
import { eachMapValue, fields, inOrder, rewriteAttributes, whenPointersReady, wholeId, type ValueRewrite } from '../rewrite';
import type { TableRule } from '../types';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One level of a leftover `{S|N|M: inner}` descriptor, or the value itself. */
const unwrapDescriptor: ValueRewrite = (value) => {
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
};

/**
 * Every memory field unwrapped one level; `key` once more, because the legacy also read a
 * doubly wrapped key (`{"S": {"S": "…"}}`). A value that is no descriptor comes back as it
 * is, so the second pass touches only a key the first one unwrapped.
 */
const unwrapMemory: ValueRewrite = inOrder(eachMapValue(unwrapDescriptor), fields({ key: unwrapDescriptor }));

/** memory.key and memory.bucket move together: a mapped key lives in the consolidation bucket. */
const memoryPointer: ValueRewrite = (value, ctx) => {
  if (!isM(value)) return value;
  const key = value.M.key;
  if (!isS(key)) return value;
  const current = { key: key.S };
  const next = agentStateMemory(current, ctx.ids);
  if (next === current) return value;
  // The bucket goes, whatever its form; an unchanged key keeps its very value.
  const newKey = next.key ?? key.S;
  if (newKey === key.S && !('bucket' in value.M)) return value;
  const { bucket: _dropped, ...rest } = value.M;
  return { M: { ...rest, key: newKey === key.S ? key : { S: newKey } } };
};

export const AGENT_STATE_RULE: TableRule = {
  table: 'AGENT_STATE_DYNAMODB_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe:
    'user (hash key) → new id; memory type descriptors unwrapped; pointers: memory.key → agentState/{new}/…, memory.bucket removed',
  keyMayChange: true,
  rewrite: rewriteAttributes({
    user: wholeId,
    memory: inOrder(unwrapMemory, whenPointersReady(memoryPointer)),
  }),
};
