import type { Item } from '../../../../src/dynamo/attributeValue';
import { DATA_DISCLOSURE_VERSIONS_RULE, createDataDisclosureVersionsRule } from '../../../../src/rules/always';
import { CONSOLIDATION, CTX, NOT_READY } from '../support';

const STORAGE = 'amplify-v6-data-disclosure-dev-storage';
const legacy: Item = {
  key: { S: 'latest' },
  version: { N: '3' },
  pdf_id: { S: 'data_disclosure_v3.pdf' },
  s3_reference: { S: `s3://${STORAGE}/data_disclosure_v3.pdf` },
  html_content: { S: '<p>…</p>' },
  timestamp: { S: '2025-03-05T10:00:00Z' },
};

describe('DATA_DISCLOSURE_VERSIONS_RULE', () => {
  it('runs as one scan, in place', () => {
    expect(DATA_DISCLOSURE_VERSIONS_RULE.finder).toEqual({ kind: 'scan' });
    expect(DATA_DISCLOSURE_VERSIONS_RULE.keyMayChange).toBe(false);
  });

  it('points s3_reference and pdf_id at dataDisclosure/ in the consolidation bucket', () => {
    expect(DATA_DISCLOSURE_VERSIONS_RULE.rewrite(legacy, CTX)).toEqual({
      ...legacy,
      pdf_id: { S: 'dataDisclosure/data_disclosure_v3.pdf' },
      s3_reference: { S: `s3://${CONSOLIDATION}/dataDisclosure/data_disclosure_v3.pdf` },
    });
  });

  it('changes nothing before the copy is verified, and is idempotent after', () => {
    expect(DATA_DISCLOSURE_VERSIONS_RULE.rewrite(legacy, NOT_READY)).toEqual(legacy);
    const once = DATA_DISCLOSURE_VERSIONS_RULE.rewrite(legacy, CTX);
    expect(DATA_DISCLOSURE_VERSIONS_RULE.rewrite(once, CTX)).toEqual(once);
  });

  it('with the storage bucket named, rewrites only references into it', () => {
    const rule = createDataDisclosureVersionsRule(STORAGE);
    const other: Item = { ...legacy, s3_reference: { S: 's3://someone-else/data_disclosure_v3.pdf' } };
    expect(rule.rewrite(other, CTX)).toEqual(other);
    expect(rule.rewrite(legacy, CTX).s3_reference).toEqual({ S: `s3://${CONSOLIDATION}/dataDisclosure/data_disclosure_v3.pdf` });
  });
});
