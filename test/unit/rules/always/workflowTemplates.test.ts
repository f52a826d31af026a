import type { Item } from '../../../../src/dynamo/attributeValue';
import { WORKFLOW_TEMPLATES_RULE } from '../../../../src/rules/always/workflowTemplates';
import { CTX, NOT_READY, SUB_BOB } from '../support';

const legacy: Item = {
  user: { S: 'bob@x.com' },
  templateId: { S: 'tmpl-7f3a' },
  s3Key: { S: 'bob@x.com/tmpl-7f3a.json' },
  isPublic: { BOOL: true },
  name: { S: 'Weekly report' },
  inputSchema: { M: { type: { S: 'object' } } },
};

describe('WORKFLOW_TEMPLATES_RULE', () => {
  it('moves the row, numbers isPublic and drops s3Key when the content is in USER_DATA_STORAGE', () => {
    const before = structuredClone(legacy);
    expect(WORKFLOW_TEMPLATES_RULE.rewrite(legacy, CTX)).toEqual({
      user: { S: SUB_BOB },
      templateId: { S: 'tmpl-7f3a' },
      isPublic: { N: '1' },
      name: { S: 'Weekly report' },
      inputSchema: { M: { type: { S: 'object' } } },
    });
    expect(legacy).toEqual(before);
  });

  it('keeps s3Key until pointers are ready', () => {
    expect(WORKFLOW_TEMPLATES_RULE.rewrite({ ...legacy, isPublic: { BOOL: false } }, NOT_READY)).toEqual({
      ...legacy,
      user: { S: SUB_BOB },
      isPublic: { N: '0' },
    });
  });

  it('leaves a migrated row equal', () => {
    const migrated: Item = { user: { S: SUB_BOB }, templateId: { S: 't' }, isPublic: { N: '0' } };
    expect(WORKFLOW_TEMPLATES_RULE.rewrite(migrated, CTX)).toEqual(migrated);
  });

  it('scenario B: only the pointer changes', () => {
    const item: Item = { user: { S: 'same@x.com' }, templateId: { S: 't' }, s3Key: { S: 'same@x.com/t.json' }, isPublic: { N: '1' } };
    expect(WORKFLOW_TEMPLATES_RULE.rewrite(item, NOT_READY)).toEqual(item);
    expect(WORKFLOW_TEMPLATES_RULE.rewrite(item, CTX)).toEqual({ user: { S: 'same@x.com' }, templateId: { S: 't' }, isPublic: { N: '1' } });
  });
});
