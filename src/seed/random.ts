/**
 * A small seeded PRNG (mulberry32) and the draws the seeder needs. The sample deployment
 * must be identical for identical seeds (tests and benchmarks compare runs), so nothing in
 * src/seed may use Math.random, the clock or crypto.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, max). */
  int(max: number): number;
  /** Integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  chance(probability: number): boolean;
  /** A version-4-shaped UUID (lower-case, hyphenated), as uuid4() and Cognito subs look. */
  uuid(): string;
  hex(length: number): string;
  bytes(length: number): Uint8Array;
  /** An independent stream derived from this one and a label, so adding draws in one
   * family of data does not shift every other family. */
  fork(label: string): Random;
}

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn fork labels into seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (max: number) => Math.floor(next() * max);
  const hex = (length: number) => {
    let out = '';
    while (out.length < length) out += int(16).toString(16);
    return out;
  };
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: (values) => {
      if (values.length === 0) throw new Error('pick from an empty list');
      return values[int(values.length)];
    },
    chance: (probability) => next() < probability,
    uuid: () => {
      const h = hex(32);
      const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    hex,
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = int(256);
      return out;
    },
    fork: (label) => createRandom((seed ^ hashLabel(label)) >>> 0),
  };
}
