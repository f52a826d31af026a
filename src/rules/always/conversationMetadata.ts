/**
 * CONVERSATION_METADATA_TABLE (id-migration.md §9.5), key `user_id` + `conversation_id`.
 * - `user_id` (hash key) → new id: the row moves.
 * - Pointer (only when ctx.pointersReady): `s3_key` `{old}/{conversationId}` →
 *   `conversations/{new}/{conversationId}`; the split-state form `conversations/{old}/…`,
 *   which the legacy left stale, is rewritten too.
 */
import { conversationS3Key } from '../../s3layout/pointers';
import { mapWhole } from '../tokens';
import type { TableRule } from '../types';
import { mapStringAttribute, pipe } from './wire';

export const CONVERSATION_METADATA_RULE: TableRule = {
  table: 'CONVERSATION_METADATA_TABLE',
  when: 'always',
  finder: { kind: 'partitionKey' },
  describe: 'user_id (hash key) → new id; pointers: s3_key → conversations/{new}/{conversationId}',
  keyMayChange: true,
  rewrite: (item, ctx) =>
    pipe(
      item,
      (i) => mapStringAttribute(i, 'user_id', (id) => mapWhole(id, ctx.ids)),
      (i) => (ctx.pointersReady ? mapStringAttribute(i, 's3_key', (key) => conversationS3Key(key, ctx.ids)) : i),
    ),
};
