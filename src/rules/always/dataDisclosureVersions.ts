/**
 * DATA_DISCLOSURE_VERSIONS_TABLE (id-migration.md §10.1), key `key` + `version` (N); run
 * once per run after the per-user work, by one scan. No user ids: only the pointers into
 * the data-disclosure storage bucket, rewritten when ctx.pointersReady (the run-wide
 * `K → dataDisclosure/K` copy is verified):
 * - `s3_reference` `s3://{storage}/{K}` → `s3://{consolidation}/dataDisclosure/{K}`;
 * - `pdf_id` → `dataDisclosure/{pdf_id}` unless already prefixed.
 * The key does not change, so the item is updated in place.
 */
import { getString, type Item } from '../../dynamo/attributeValue';
import { dataDisclosurePointers } from '../../s3layout/pointers';
import type { TableRule } from '../types';
import { withAttribute } from './wire';

/**
 * `storageBucket` (physical name of DATA_DISCLOSURE_STORAGE_BUCKET) restricts the rewrite to
 * references into that bucket, as the legacy's bucket-name test did. Without it, any
 * `s3://` reference outside the consolidation bucket is taken as legacy.
 */
export function createDataDisclosureVersionsRule(storageBucket?: string): TableRule {
  return {
    table: 'DATA_DISCLOSURE_VERSIONS_TABLE',
    when: 'always',
    finder: { kind: 'scan' },
    describe:
      'pointers: s3_reference → s3://{consolidation}/dataDisclosure/{K}, pdf_id → dataDisclosure/{pdf_id}; in place, once per run',
    keyMayChange: false,
    rewrite: (item, ctx) => {
      if (!ctx.pointersReady) return item;
      const s3Reference = getString(item, 's3_reference');
      if (s3Reference === undefined) return item;
      const next = dataDisclosurePointers(
        { s3Reference, pdfId: getString(item, 'pdf_id') },
        ctx.consolidationBucket,
        storageBucket,
      );
      if (next === undefined) return item;
      let out: Item = withAttribute(item, 's3_reference', { S: next.s3Reference });
      if (next.pdfId !== undefined && next.pdfId !== getString(item, 'pdf_id')) out = withAttribute(out, 'pdf_id', { S: next.pdfId });
      return out;
    },
  };
}

export const DATA_DISCLOSURE_VERSIONS_RULE: TableRule = createDataDisclosureVersionsRule();
