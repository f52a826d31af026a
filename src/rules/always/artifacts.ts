/**
 * ARTIFACTS_DYNAMODB_TABLE, key `user_id`, one row per user holding
 * `artifacts[]` = `{key, artifactId, name, type, description, createdAt, tags, sharedBy?}`.
 * - `user_id` (hash key) → new id: the row moves, all other columns kept.
 * - `artifacts[].sharedBy` → mapped through the whole map (the legacy mapped only the
 *   current user's own id).
 * - Pointer (only when ctx.pointersReady, i.e. the artifact contents are verified in
 *   USER_DATA_STORAGE, src/uds/): `artifacts[].key` `{owner}/{YYYYMMDD}/{name}:v{n}` →
 *   `{YYYYMMDD}/{name}:v{n}`. The legacy stripped keys even when the content move failed,
 *   and on a partial re-run replaced the list by the not-yet-migrated entries; here the list
 *   is rewritten entry by entry and never shortened.
 */
import { getString } from '../../dynamo/attributeValue';
import { artifactKey } from '../../s3layout/pointers';
import { byPartitionKey } from '../finders';
import { migratedOwners } from '../outsiders';
import { eachElement, fields, pointer, rewriteAttributes, wholeId, type ValueContext } from '../rewrite';
import type { TableRule } from '../types';

/**
 * Only a migrated owner's content is converted into USER_DATA_STORAGE: the key of an owner
 * outside the map (the references pass) keeps pointing at its object. The owner is the row's
 * `user_id` as read, before this rewrite maps it.
 */
function ownArtifactKey(key: string, ctx: ValueContext): string {
  const owner = getString(ctx.item, 'user_id');
  return owner !== undefined && migratedOwners(ctx.ids).has(owner) ? artifactKey(key, owner, ctx.ids) : key;
}

export const ARTIFACTS_RULE: TableRule = {
  table: 'ARTIFACTS_DYNAMODB_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe:
    'user_id (hash key) → new id; artifacts[].sharedBy mapped; pointers: artifacts[].key loses its {owner}/ prefix (content in USER_DATA_STORAGE)',
  keyMayChange: true,
  othersReferenced: 'artifacts[].sharedBy (who shared the artifact with the row\'s owner)',
  rewrite: rewriteAttributes({
    user_id: wholeId,
    artifacts: eachElement(fields({ sharedBy: wholeId, key: pointer(ownArtifactKey) })),
  }),
};
