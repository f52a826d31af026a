import { createIdMap } from '../../../../src/idmap/types';
import type { RewriteContext } from '../../../../src/rules/types';

export const SUB_BOB = '4f1c2b7e-0a9d-4c11-9a3e-2d5f8b6c7e01';
export const SUB_BOBBY = '9b2e7d10-3c4f-4a8b-b1d2-6e7f8a9b0c12';
export const CONSOLIDATION = 'amplify-v6-lambda-dev-consolidation';

export const ids = createIdMap([
  { oldId: 'bob@x.com', newId: SUB_BOB },
  { oldId: 'bobby@x.com', newId: SUB_BOBBY },
  { oldId: 'ann+test@x.com', newId: 'sub-ann' },
  { oldId: 'dept/alice', newId: 'sub-alice' },
  { oldId: 'same@x.com', newId: 'same@x.com' },
]);

export const ready: RewriteContext = { ids, pointersReady: true, consolidationBucket: CONSOLIDATION };
export const notReady: RewriteContext = { ids, pointersReady: false, consolidationBucket: CONSOLIDATION };

/** Deep copy, to check a rewrite leaves its input untouched. */
export const snapshot = <T>(value: T): T => structuredClone(value);
