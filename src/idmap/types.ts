/**
 * The old→new user id map, applied as a whole: each value is mapped once, so chained or swapped
 * pairs cannot cascade.
 */
export interface IdPair {
  oldId: string;
  newId: string;
}

export interface IdMap {
  readonly pairs: readonly IdPair[];
  /** The new id for an exact old id, or undefined when the value is not an old id. */
  lookup(value: string): string | undefined;
  /** True when at least one pair changes the id (scenario A); false for scenario B. */
  readonly changesAnyId: boolean;
}

export function createIdMap(pairs: readonly IdPair[]): IdMap {
  const byOld = new Map(pairs.map((p) => [p.oldId, p.newId]));
  return {
    pairs,
    lookup: (value) => byOld.get(value),
    changesAnyId: pairs.some((p) => p.oldId !== p.newId),
  };
}
