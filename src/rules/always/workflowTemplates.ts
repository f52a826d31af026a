/**
 * WORKFLOW_TEMPLATES_TABLE (id-migration.md §9.3), key `user` + `templateId`,
 * GSI TemplateIdPublicIndex (templateId, isPublic: N).
 * - `user` (hash key) → new id: the row moves.
 * - `isPublic` stored as a boolean → 1 / 0, as the legacy caller did, because the GSI's
 *   range key is a number.
 * - Pointer (only when ctx.pointersReady, i.e. the template JSON is verified in
 *   USER_DATA_STORAGE, src/uds/): `s3Key` `{user}/{templateId}.json` is removed; the service
 *   reads a row without `s3Key` from USER_DATA_STORAGE. The legacy removed `s3Key` even when
 *   the content copy failed and deleted the S3 object; here the pointer stays until the
 *   content is verified and the object stays in its bucket until the approved cleanup.
 */
import { workflowTemplateS3Key } from '../../s3layout/pointers';
import { mapWhole } from '../tokens';
import type { TableRule } from '../types';
import { mapStringAttribute, pipe, withAttribute } from './wire';

export const WORKFLOW_TEMPLATES_RULE: TableRule = {
  table: 'WORKFLOW_TEMPLATES_TABLE',
  when: 'always',
  finder: { kind: 'partitionKey' },
  describe: 'user (hash key) → new id; boolean isPublic → 1/0; pointers: s3Key removed (content in USER_DATA_STORAGE)',
  keyMayChange: true,
  rewrite: (item, ctx) =>
    pipe(
      item,
      (i) => mapStringAttribute(i, 'user', (user) => mapWhole(user, ctx.ids)),
      (i) => {
        const isPublic = i.isPublic;
        return isPublic !== undefined && 'BOOL' in isPublic ? withAttribute(i, 'isPublic', { N: isPublic.BOOL ? '1' : '0' }) : i;
      },
      (i) => (ctx.pointersReady ? mapStringAttribute(i, 's3Key', (key) => workflowTemplateS3Key(key, ctx.ids)) : i),
    ),
};
