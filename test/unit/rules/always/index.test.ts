import { itemEquals } from '../../../../src/dynamo/attributeValue';
import { tableSchema } from '../../../../src/deployment/catalogue';
import { ALWAYS_TABLE_RULES, DATA_DISCLOSURE_VERSIONS_RULE } from '../../../../src/rules/always';
import { CTX } from '../support';

describe('ALWAYS_TABLE_RULES', () => {
  it('lists the eight ALWAYS steps in the legacy order, all run for every user', () => {
    expect(ALWAYS_TABLE_RULES.map((r) => [r.table, r.when])).toEqual([
      ['AGENT_STATE_DYNAMODB_TABLE', 'always'],
      ['ARTIFACTS_DYNAMODB_TABLE', 'always'],
      ['WORKFLOW_TEMPLATES_TABLE', 'always'],
      ['ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE', 'always'],
      ['CONVERSATION_METADATA_TABLE', 'always'],
      ['GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE', 'always'],
      ['SCHEDULED_TASKS_TABLE', 'always'],
      ['SHARES_DYNAMODB_TABLE', 'always'],
    ]);
  });

  it('uses only indexes the catalogue declares', () => {
    for (const rule of [...ALWAYS_TABLE_RULES, DATA_DISCLOSURE_VERSIONS_RULE]) {
      const finder = rule.finder;
      if (finder.kind === 'index') expect(tableSchema(rule.table).indexes.map((i) => i.name)).toContain(finder.index);
    }
  });

  it('returns the item itself when nothing references a mapped id', () => {
    const untouched = { user: { S: 'stranger@x.com' }, user_id: { S: 'stranger@x.com' }, id: { S: 'stranger@x.com/u' }, n: { N: '1.50' } };
    for (const rule of [...ALWAYS_TABLE_RULES, DATA_DISCLOSURE_VERSIONS_RULE]) {
      const out = rule.rewrite(untouched, CTX);
      expect(out).toBe(untouched);
      expect(itemEquals(out, untouched)).toBe(true);
    }
  });
});
