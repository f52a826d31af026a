/**
 * ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE, key `id` =
 * `{user}/ast/{uuid}`, GSI UserIndex (user).
 * - `id` (hash key): its leading user id → new id, exact segments only (the legacy replaced
 *   the first occurrence of the old id anywhere in the string); the item moves.
 * - `user` → new id.
 * No pointer attributes: the code-interpreter files move by key layout only (src/s3layout).
 */
import { byIndex } from '../finders';
import { leadingId, rewriteAttributes, wholeId } from '../rewrite';
import type { TableRule } from '../types';

export const CODE_INTERPRETER_RULE: TableRule = {
  table: 'ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE',
  when: 'always',
  finder: byIndex('UserIndex'),
  describe: 'id ({user}/ast/{uuid}, hash key) leading user → new id; user → new id',
  keyMayChange: true,
  rewrite: rewriteAttributes({ id: leadingId('/'), user: wholeId }),
};
