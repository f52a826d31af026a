/**
 * Consistency checks of an old→new id list, shared by the CSV reader and the generators so
 * every source of an id map is held to the same rules (ids match exactly, and each value is
 * mapped once: a new id that is another row's old id is refused unless the operator insists).
 */
import type { IdPair } from './types';
import { idValueProblem, type IdValueRule } from './idRules';

export type IdPairProblem =
  | { kind: 'emptyValue'; index: number; column: 'old_id' | 'new_id' }
  | { kind: 'surroundingWhitespace'; index: number; column: 'old_id' | 'new_id'; value: string }
  /** The value breaks a rule every id must follow (see idRules.ts): control character, separator, size. */
  | { kind: 'badId'; index: number; column: 'old_id' | 'new_id'; value: string; rule: IdValueRule }
  | { kind: 'duplicateOldId'; index: number; firstIndex: number; value: string }
  | { kind: 'duplicateNewId'; index: number; firstIndex: number; value: string }
  /** Row `index` maps to `value`, which row `otherIndex` maps away: a chain (A→B, B→C) or a swap. */
  | { kind: 'chain'; index: number; otherIndex: number; value: string };

export interface ValidateOptions {
  /** Accept a new_id that is another row's old_id (the whole map is applied at once, so it is safe to run). */
  allowChains?: boolean;
}

/** Every problem of the list, in row order; an empty result means the list is a valid id map. */
export function findIdPairProblems(pairs: readonly IdPair[], options: ValidateOptions = {}): IdPairProblem[] {
  const problems: IdPairProblem[] = [];
  const firstOld = new Map<string, number>();
  const firstNew = new Map<string, number>();

  pairs.forEach((pair, index) => {
    for (const [column, value] of [
      ['old_id', pair.oldId],
      ['new_id', pair.newId],
    ] as const) {
      if (value === '') problems.push({ kind: 'emptyValue', index, column });
      else if (value.trim() !== value) problems.push({ kind: 'surroundingWhitespace', index, column, value });
      else {
        // A user keeping its id mints no new key, so the new-id rules apply only to a change.
        const rule = idValueProblem(value, column === 'new_id' && pair.newId !== pair.oldId ? 'new' : 'existing');
        if (rule) problems.push({ kind: 'badId', index, column, value, rule });
      }
    }
    const oldSeen = firstOld.get(pair.oldId);
    if (oldSeen === undefined) firstOld.set(pair.oldId, index);
    else problems.push({ kind: 'duplicateOldId', index, firstIndex: oldSeen, value: pair.oldId });
    const newSeen = firstNew.get(pair.newId);
    if (newSeen === undefined) firstNew.set(pair.newId, index);
    else problems.push({ kind: 'duplicateNewId', index, firstIndex: newSeen, value: pair.newId });
  });

  if (!options.allowChains) {
    pairs.forEach((pair, index) => {
      if (pair.newId === pair.oldId) return; // scenario B: a user keeping its id is not a chain
      const other = firstOld.get(pair.newId);
      if (other !== undefined && other !== index) problems.push({ kind: 'chain', index, otherIndex: other, value: pair.newId });
    });
    problems.sort((a, b) => a.index - b.index);
  }
  return problems;
}
