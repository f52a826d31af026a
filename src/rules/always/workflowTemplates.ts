/**
 * WORKFLOW_TEMPLATES_TABLE, key `user` + `templateId`,
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
import { byPartitionKey } from '../finders';
import { pointer, rewriteAttributes, wholeId, type ValueRewrite } from '../rewrite';
import type { TableRule } from '../types';

/** A boolean stored where the GSI's range key wants a number: 1 / 0. */
const booleanAsNumber: ValueRewrite = (value) => ('BOOL' in value ? { N: value.BOOL ? '1' : '0' } : value);

export const WORKFLOW_TEMPLATES_RULE: TableRule = {
  table: 'WORKFLOW_TEMPLATES_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe: 'user (hash key) → new id; boolean isPublic → 1/0; pointers: s3Key removed (content in USER_DATA_STORAGE)',
  keyMayChange: true,
  rewrite: rewriteAttributes({
    user: wholeId,
    isPublic: booleanAsNumber,
    // The new pointer is "absent": workflowTemplateS3Key's undefined removes s3Key.
    s3Key: pointer((key, ctx) => workflowTemplateS3Key(key, ctx.ids)),
  }),
};
