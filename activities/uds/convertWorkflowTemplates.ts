/**
 * Workflow templates (id-migration.md §9.3, s3-and-backups.md §1.3l): the user's
 * WORKFLOW_TEMPLATES rows, read by the old id, and their `s3Key` objects →
 * `workflow-templates` items. Rows without `s3Key` are already migrated.
 */
import { convertWorkflowTemplate } from '../../src/uds';
import { stringAttr } from '../../src/uds/conversionSupport';
import type { ConversionContext } from './conversionContext';

const SOURCE_TABLE = 'WORKFLOW_TEMPLATES_TABLE';
const SOURCE_BUCKET = 'WORKFLOW_TEMPLATES_BUCKET';

export async function convertUserWorkflowTemplates(ctx: ConversionContext): Promise<void> {
  const rows = await ctx.queryAll(SOURCE_TABLE, 'user', ctx.user.oldId);
  for (const row of rows) {
    const s3Key = stringAttr(row, 's3Key');
    if (!s3Key) continue;
    const content = stringAttr(row, 'templateId') ? await ctx.readObject(SOURCE_BUCKET, s3Key) : undefined;
    const result = convertWorkflowTemplate(row, content, ctx.user.newId);
    ctx.problems(result.problems, SOURCE_BUCKET);
    for (const item of result.items) await ctx.put(item, `${SOURCE_TABLE} ${s3Key}`);
  }
}
