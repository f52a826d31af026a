/**
 * CONVERSATION_METADATA_TABLE, key `user_id` + `conversation_id`.
 * - `user_id` (hash key) → new id: the row moves.
 * - Pointer (only when ctx.pointersReady): `s3_key` `{old}/{conversationId}` →
 *   `conversations/{new}/{conversationId}`; the split-state form `conversations/{old}/…`,
 *   which the legacy left stale, is rewritten too.
 */
import { conversationS3Key } from '../../s3layout/pointers';
import { byPartitionKey } from '../finders';
import { pointer, rewriteAttributes, wholeId } from '../rewrite';
import type { TableRule } from '../types';

export const CONVERSATION_METADATA_RULE: TableRule = {
  table: 'CONVERSATION_METADATA_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe: 'user_id (hash key) → new id; pointers: s3_key → conversations/{new}/{conversationId}',
  keyMayChange: true,
  rewrite: rewriteAttributes({
    user_id: wholeId,
    s3_key: pointer((key, ctx) => conversationS3Key(key, ctx.ids)),
  }),
};
