/** The references pass: items of users outside the map that name migrated users (issue 10 §1). */
import type { Item } from '../../../src/dynamo/attributeValue';
import { referenceTables, referencesRow } from '../../../src/plan/steps';
import { TABLE_RULES } from '../../../src/rules';
import { ARTIFACTS_RULE, SHARES_RULE } from '../../../src/rules/always';
import { ASSISTANT_THREAD_RUNS_RULE } from '../../../src/rules/assistants';
import { FILES_RULE } from '../../../src/rules/files';
import { outsidersItemsOnly, ownerAttribute, referencesOthers } from '../../../src/rules/outsiders';
import { contextFor } from './support';

/** Adversarial on both sides: the outsiders' ids extend or resemble the migrated ones. */
const ctx = contextFor([
  { oldId: 'bob@x.edu', newId: 'u-bob' },
  { oldId: 'ann', newId: 'ann.s' },
  { oldId: 'a+b@x.edu', newId: 'u-ab' },
  { oldId: 'zoë@x.edu', newId: 'u-zoë' },
]);
const S = (s: string) => ({ S: s });

describe('the tables of the references pass', () => {
  it('are exactly the per-user tables whose items name other users', () => {
    expect(TABLE_RULES.filter(referencesOthers).map((r) => r.table)).toEqual([
      'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE',
      'FILES_DYNAMO_TABLE',
      'ARTIFACTS_DYNAMODB_TABLE',
      'SHARES_DYNAMODB_TABLE',
    ]);
    // Scenario B: only the always tables (the share keys still move to shares/…).
    expect(referenceTables(false)).toEqual(['ARTIFACTS_DYNAMODB_TABLE', 'SHARES_DYNAMODB_TABLE']);
    expect(referenceTables(true)).toHaveLength(4);
    expect(referencesRow('SHARES_DYNAMODB_TABLE')).toBe("SHARES_DYNAMODB_TABLE (outsiders' references)");
  });

  it('find owners by the finder hash attribute', () => {
    expect(ownerAttribute(ARTIFACTS_RULE)).toBe('user_id');
    expect(ownerAttribute(SHARES_RULE)).toBe('user');
    expect(ownerAttribute(FILES_RULE)).toBe('createdBy');
    expect(ownerAttribute(ASSISTANT_THREAD_RUNS_RULE)).toBe('user');
  });
});

describe('outsidersItemsOnly', () => {
  it("maps only the tokens naming migrated users in an outsider's share record; the outsider's ids stay", () => {
    const record: Item = {
      id: S('anna/1111'),
      user: S('anna'),
      name: S('/state/share'),
      data: {
        L: [
          { M: { sharedBy: S('ann'), sharedAt: { N: '1734307200000' }, note: S('hi'), key: S('anna/ann/2024-12-16/u1.json') } },
          { M: { sharedBy: S('bob@x.edu.au'), note: S(''), key: S('anna/bob@x.edu.au/2024-12-16/u2.json') } },
          { M: { sharedBy: S('a+b@x.edu'), key: S('anna/a+b@x.edu/2024-12-17/u3.json') } },
        ],
      },
    };
    const out = outsidersItemsOnly(SHARES_RULE).rewrite(record, ctx);
    expect(out).toEqual({
      ...record,
      data: {
        L: [
          { M: { sharedBy: S('ann.s'), sharedAt: { N: '1734307200000' }, note: S('hi'), key: S('shares/anna/ann.s/2024-12-16/u1.json') } },
          { M: { sharedBy: S('bob@x.edu.au'), note: S(''), key: S('anna/bob@x.edu.au/2024-12-16/u2.json') } },
          { M: { sharedBy: S('u-ab'), key: S('shares/anna/u-ab/2024-12-17/u3.json') } },
        ],
      },
    });
    // Pointers wait for the run-wide share copies; the sharer ids do not.
    const waiting = outsidersItemsOnly(SHARES_RULE).rewrite(record, { ...ctx, pointersReady: false });
    const first = (waiting.data as { L: { M: Item }[] }).L[0].M;
    expect([first.sharedBy, first.key]).toEqual([S('ann.s'), S('anna/ann/2024-12-16/u1.json')]);
  });

  it("maps sharedBy in an outsider's artifacts row and leaves the outsider's own artifact keys alone", () => {
    const row: Item = {
      user_id: S('bob@x.edu.au'),
      artifacts: {
        L: [
          { M: { key: S('bob@x.edu.au/20250305/Plan:v1'), sharedBy: S('bob@x.edu') } },
          { M: { key: S('bob@x.edu.au/20250306/Mine:v1') } },
          { M: { key: S('bob@x.edu.au/20250307/Z:v1'), sharedBy: S('zoë@x.edu') } },
        ],
      },
    };
    expect(outsidersItemsOnly(ARTIFACTS_RULE).rewrite(row, ctx)).toEqual({
      user_id: S('bob@x.edu.au'),
      artifacts: {
        L: [
          { M: { key: S('bob@x.edu.au/20250305/Plan:v1'), sharedBy: S('u-bob') } },
          { M: { key: S('bob@x.edu.au/20250306/Mine:v1') } },
          { M: { key: S('bob@x.edu.au/20250307/Z:v1'), sharedBy: S('u-zoë') } },
        ],
      },
    });
  });

  it('maps the editor of a file and the owner of an assistant a run used', () => {
    const file: Item = { id: S('anna/2025-01-01/f.json'), createdBy: S('anna'), updatedBy: S('ann') };
    expect(outsidersItemsOnly(FILES_RULE).rewrite(file, ctx)).toEqual({ ...file, updatedBy: S('ann.s') });
    const run: Item = { id: S('anna/run/r1'), user: S('anna'), assistant_key: S('ann/ast/a1'), thread_key: S('anna/thr/t1') };
    expect(outsidersItemsOnly(ASSISTANT_THREAD_RUNS_RULE).rewrite(run, ctx)).toEqual({ ...run, assistant_key: S('ann.s/ast/a1') });
  });

  it("leaves the items of migrated users (old or new id) to their own pass, pointers included", () => {
    for (const owner of ['ann', 'ann.s']) {
      const record: Item = { id: S(`${owner}/1`), user: S(owner), data: { L: [{ M: { sharedBy: S('bob@x.edu'), key: S(`${owner}/bob@x.edu/2024-12-16/u.json`) } }] } };
      expect(outsidersItemsOnly(SHARES_RULE).rewrite(record, ctx)).toBe(record);
    }
  });

  it('treats an item without the owner attribute as outside (no per-user query reaches it)', () => {
    const orphan: Item = { id: S('x/1'), data: { L: [{ M: { sharedBy: S('ann') } }] } };
    expect(outsidersItemsOnly(SHARES_RULE).rewrite(orphan, ctx)).toEqual({ id: S('x/1'), data: { L: [{ M: { sharedBy: S('ann.s') } }] } });
  });
});
