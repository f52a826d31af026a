/**
 * Workflow templates (WORKFLOW_TEMPLATES_BUCKET objects) → USER_DATA_STORAGE
 * `workflow-templates` items.
 */
import type { Item } from '../dynamo/attributeValue';
import { buildUdsItem, describeKey, epochSecondsFrom, isOversized, type Problem } from './item';
import type { LoadedContent } from './json';
import { fixPythonDictStrings } from './pythonLiteral';
import { FAMILIES } from './sanitize';
import { type ConversionResult, dataMap, parseContent, stringAttr } from './conversionSupport';

/**
 * @param row the WORKFLOW_TEMPLATES_TABLE row `{user, templateId, s3Key?, ...}`. For an
 *   orphan S3 file (no row), pass `{templateId: {S: id}, s3Key: {S: key}}`.
 * @param content the template JSON at `row.s3Key`, or undefined when it was not loaded
 * @param newUserId the owner's new id (no other id occurs in a template item's key)
 *
 * A row without `s3Key` is already migrated: no item, no problem.
 */
export function convertWorkflowTemplate(row: Item, content: LoadedContent | undefined, newUserId: string): ConversionResult {
  const s3Key = stringAttr(row, 's3Key');
  if (!s3Key) return { items: [], problems: [] };
  const templateId = stringAttr(row, 'templateId');
  const fail = (problem: Problem): ConversionResult => ({ items: [], problems: [problem] });
  if (!templateId) return fail({ severity: 'error', code: 'entry-incomplete', subject: s3Key, message: 'template row without templateId' });
  if (content === undefined) return fail({ severity: 'error', code: 'content-missing', subject: s3Key, message: 'template object not loaded' });

  const parsed = parseContent(content, s3Key);
  if ('problem' in parsed) return fail(parsed.problem);
  const mapped = dataMap(fixPythonDictStrings(parsed.node), s3Key);
  if ('problem' in mapped) return fail(mapped.problem);

  const item = buildUdsItem({
    partitionUser: newUserId,
    family: FAMILIES.workflowTemplates,
    sortKey: templateId,
    data: mapped.data,
    createdAt: epochSecondsFrom(row.createdAt) ?? epochSecondsFrom(row.updatedAt) ?? 0,
  });
  if (isOversized(item)) {
    // The workflow service reads templates only from USER_DATA_STORAGE: no pointer form.
    return fail({
      severity: 'error',
      code: 'item-too-large',
      subject: s3Key,
      message: `item ${describeKey(item)} exceeds 400 KB; left in S3, not written`,
    });
  }
  return { items: [item], problems: [] };
}
