/**
 * Workflow templates: the user's
 * WORKFLOW_TEMPLATES rows, read by the old id, and their `s3Key` objects →
 * `workflow-templates` items. Rows without `s3Key` are already migrated.
 *
 * Then the legacy's orphan rescue: template files under `{old}/` with no row are imported
 * in the same item format, never over an existing {PK, SK}. Unlike the legacy, nothing is
 * deleted (the approved cleanup's job), and known templates are those of the rows under the
 * old AND the new id, so a re-run after the rows moved does not take every file for an orphan.
 */
import type { Item } from '../../src/dynamo/attributeValue';
import { convertWorkflowTemplate, FAMILIES, udsKey } from '../../src/uds';
import { stringAttr } from '../../src/uds/conversionSupport';
import { getItem } from './conditionalPut';
import type { ConversionContext } from './conversionContext';
import { listObjects } from './objects';

const SOURCE_TABLE = 'WORKFLOW_TEMPLATES_TABLE';
const SOURCE_BUCKET = 'WORKFLOW_TEMPLATES_BUCKET';
const TEMPLATE_SUFFIX = '.json';

export async function convertUserWorkflowTemplates(ctx: ConversionContext): Promise<void> {
  const rows = await ctx.queryAll(SOURCE_TABLE, 'user', ctx.user.oldId);
  // Converted first, then put: the user's templates go to the ledger as one chunk ahead of their puts.
  const puts: { item: Item; source: string }[] = [];
  for (const row of rows) {
    const s3Key = stringAttr(row, 's3Key');
    if (!s3Key) continue;
    const content = stringAttr(row, 'templateId') ? await ctx.readObject(SOURCE_BUCKET, s3Key) : undefined;
    const result = convertWorkflowTemplate(row, content, ctx.user.newId);
    ctx.problems(result.problems, SOURCE_BUCKET);
    for (const item of result.items) puts.push({ item, source: `${SOURCE_TABLE} ${s3Key}` });
  }
  await ctx.foresee(puts.map((p) => p.item));
  await ctx.putAll(puts);
  await importOrphanTemplates(ctx, rows);
}

/** `{old}/{templateId}.json` files whose templateId no row of the user (under the old or the new id) names. */
async function importOrphanTemplates(ctx: ConversionContext, rows: readonly Item[]): Promise<void> {
  const prefix = `${ctx.user.oldId}/`;
  const known = new Set(rows.map((row) => stringAttr(row, 'templateId')));
  const listed = await listObjects(ctx.clients, ctx.deployment.buckets[SOURCE_BUCKET], prefix, ctx.abortSignal);
  const candidates: { object: (typeof listed)[number]; templateId: string }[] = [];
  for (const object of listed) {
    const name = object.key.slice(prefix.length);
    // Direct children only, as the legacy's file name; deeper keys are another layout (or an id containing '/').
    if (name.includes('/') || !name.endsWith(TEMPLATE_SUFFIX)) continue;
    const templateId = name.slice(0, -TEMPLATE_SUFFIX.length);
    if (templateId !== '' && !known.has(templateId)) candidates.push({ object, templateId });
  }
  if (candidates.length > 0) for (const row of await ctx.movedRows(SOURCE_TABLE, 'user')) known.add(stringAttr(row, 'templateId'));
  for (const { object, templateId } of candidates) {
    if (known.has(templateId)) continue;
    const key = udsKey(ctx.user.newId, FAMILIES.workflowTemplates, templateId);
    // An item already there is the service's (or an earlier run's): not a conflict, kept as it
    // is and not counted; one a killed predecessor of this attempt put is its write, counted.
    const existing = await getItem(ctx.clients, ctx.deployment.tables.USER_DATA_STORAGE_TABLE, { PK: { S: key.PK }, SK: { S: key.SK } }, ctx.abortSignal);
    if (existing) {
      await ctx.foundInPlace(existing, { countUnchanged: false });
      continue;
    }
    const content = await ctx.readObject(SOURCE_BUCKET, object.key);
    const orphanRow = { templateId: { S: templateId }, s3Key: { S: object.key }, createdAt: { N: String(object.lastModifiedSeconds) } };
    const result = convertWorkflowTemplate(orphanRow, content, ctx.user.newId);
    ctx.problems(result.problems, SOURCE_BUCKET);
    for (const item of result.items) await ctx.put(item, `${SOURCE_BUCKET} ${object.key} (orphan: no template row)`);
  }
}
