import { findIdPairProblems } from '../../../src/idmap/validate';

const pairs = (...rows: [string, string][]) => rows.map(([oldId, newId]) => ({ oldId, newId }));

describe('findIdPairProblems', () => {
  it('accepts a clean map with same-id rows', () => {
    expect(findIdPairProblems(pairs(['a', 'x'], ['b', 'b'], ['c', 'y']))).toEqual([]);
  });

  it('reports every problem with the row indexes involved, in row order', () => {
    expect(findIdPairProblems(pairs(['a', 'b'], ['b', 'c'], ['a', 'd'], [' e', 'd'], ['f', '']))).toEqual([
      { kind: 'chain', index: 0, otherIndex: 1, value: 'b' },
      { kind: 'duplicateOldId', index: 2, firstIndex: 0, value: 'a' },
      { kind: 'surroundingWhitespace', index: 3, column: 'old_id', value: ' e' },
      { kind: 'duplicateNewId', index: 3, firstIndex: 2, value: 'd' },
      { kind: 'emptyValue', index: 4, column: 'new_id' },
    ]);
  });

  it('reports both directions of a swap, and none with allowChains', () => {
    expect(findIdPairProblems(pairs(['a', 'b'], ['b', 'a']))).toEqual([
      { kind: 'chain', index: 0, otherIndex: 1, value: 'b' },
      { kind: 'chain', index: 1, otherIndex: 0, value: 'a' },
    ]);
    expect(findIdPairProblems(pairs(['a', 'b'], ['b', 'a']), { allowChains: true })).toEqual([]);
  });

  it('holds a changed new id to the new-id rules, an unchanged one only to the rules of every id', () => {
    expect(findIdPairProblems(pairs(['a', 'x#y'], ['d/e', 'd/e'], ['f', 'g\u0000']))).toEqual([
      { kind: 'badId', index: 0, column: 'new_id', value: 'x#y', rule: { rule: 'separator', separator: '#' } },
      { kind: 'badId', index: 2, column: 'new_id', value: 'g\u0000', rule: { rule: 'controlCharacter', codePoint: 0, position: 2 } },
    ]);
  });
});
