import type { Item } from '../../../../src/dynamo/attributeValue';
import { CODE_INTERPRETER_RULE } from '../../../../src/rules/always/codeInterpreter';
import { CTX, NOT_READY, SUB_BOB } from '../support';

describe('CODE_INTERPRETER_RULE', () => {
  it('maps the leading user of the id and the user attribute', () => {
    const item: Item = {
      id: { S: 'bob@x.com/ast/5d0c1e7a-2b3f-4c5d-8e9f-0a1b2c3d4e5f' },
      user: { S: 'bob@x.com' },
      assistantId: { S: 'asst_abc' },
      createdAt: { S: '2025-03-05T10:00:00Z' },
    };
    expect(CODE_INTERPRETER_RULE.rewrite(item, NOT_READY)).toEqual({
      id: { S: `${SUB_BOB}/ast/5d0c1e7a-2b3f-4c5d-8e9f-0a1b2c3d4e5f` },
      user: { S: SUB_BOB },
      assistantId: { S: 'asst_abc' },
      createdAt: { S: '2025-03-05T10:00:00Z' },
    });
  });

  it('matches exact segments only: bobby and ids containing / are handled', () => {
    expect(CODE_INTERPRETER_RULE.rewrite({ id: { S: 'bobby@x.comm/ast/1' }, user: { S: 'bobby@x.comm' } }, CTX)).toEqual({
      id: { S: 'bobby@x.comm/ast/1' },
      user: { S: 'bobby@x.comm' },
    });
    expect(CODE_INTERPRETER_RULE.rewrite({ id: { S: 'dept/alice/ast/1' }, user: { S: 'dept/alice' } }, CTX)).toEqual({
      id: { S: 'sub-alice/ast/1' },
      user: { S: 'sub-alice' },
    });
    // The legacy replaced the first occurrence anywhere; an id elsewhere in the value stays.
    expect(CODE_INTERPRETER_RULE.rewrite({ id: { S: 'x/ast/bob@x.com' }, user: { S: 'x' } }, CTX)).toEqual({
      id: { S: 'x/ast/bob@x.com' },
      user: { S: 'x' },
    });
  });

  it('scenario B leaves the item equal (no key change, nothing to delete)', () => {
    const item: Item = { id: { S: 'same@x.com/ast/1' }, user: { S: 'same@x.com' } };
    expect(CODE_INTERPRETER_RULE.rewrite(item, CTX)).toEqual(item);
  });
});
