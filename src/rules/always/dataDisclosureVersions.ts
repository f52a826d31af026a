/**
 * DATA_DISCLOSURE_VERSIONS_TABLE, key `key` + `version` (N); run
 * once per run after the per-user work, by one scan. No user ids: only the pointers into
 * the data-disclosure storage bucket, rewritten when ctx.pointersReady (the run-wide
 * `K → dataDisclosure/K` copy is verified):
 * - `s3_reference` `s3://{storage}/{K}` → `s3://{consolidation}/dataDisclosure/{K}`;
 * - `pdf_id` → `dataDisclosure/{pdf_id}` unless already prefixed.
 * The key does not change, so the item is updated in place.
 */
import { getString } from '../../dynamo/attributeValue';
import { dataDisclosurePointers, type DataDisclosurePointers } from '../../s3layout/pointers';
import { byScan } from '../finders';
import { pointer, rewriteAttributes, type ValueContext } from '../rewrite';
import type { TableRule } from '../types';

/**
 * `storageBucket` (physical name of DATA_DISCLOSURE_STORAGE_BUCKET) restricts the rewrite to
 * references into that bucket, as the legacy's bucket-name test did. Without it, any
 * `s3://` reference outside the consolidation bucket is taken as legacy.
 */
export function createDataDisclosureVersionsRule(storageBucket?: string): TableRule {
  // Both pointers follow from the pair as read: pdf_id moves only with a legacy s3_reference.
  const next = (ctx: ValueContext): DataDisclosurePointers | undefined => {
    const s3Reference = getString(ctx.item, 's3_reference');
    if (s3Reference === undefined) return undefined;
    return dataDisclosurePointers({ s3Reference, pdfId: getString(ctx.item, 'pdf_id') }, ctx.consolidationBucket, storageBucket);
  };
  return {
    table: 'DATA_DISCLOSURE_VERSIONS_TABLE',
    when: 'always',
    finder: byScan,
    describe:
      'pointers: s3_reference → s3://{consolidation}/dataDisclosure/{K}, pdf_id → dataDisclosure/{pdf_id}; in place, once per run',
    keyMayChange: false,
    rewrite: rewriteAttributes({
      s3_reference: pointer((s3Reference, ctx) => next(ctx)?.s3Reference ?? s3Reference),
      pdf_id: pointer((pdfId, ctx) => next(ctx)?.pdfId ?? pdfId),
    }),
  };
}

export const DATA_DISCLOSURE_VERSIONS_RULE: TableRule = createDataDisclosureVersionsRule();
