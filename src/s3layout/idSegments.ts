/**
 * Id matching inside S3 keys. Same exact-token rules as src/rules/tokens.ts (an id matches
 * only as whole `/`-separated segments, longest candidate first, so `bob` never touches
 * `bobby/…` and ids that contain `/` still match), but these helpers also say WHICH id
 * matched. S3 code needs that: with the same id on both sides (scenario B) the mapped text
 * equals the input, yet the object still belongs to a user in the map and must be moved.
 */
import type { IdMap } from '../idmap/types';

export interface LeadingId {
  oldId: string;
  newId: string;
  /** Everything after `{oldId}/` (may be empty or nested). */
  rest: string;
}

/** The old id that forms the first segment(s) of `key`, followed by `/`; undefined when none does. */
export function splitLeadingId(key: string, ids: IdMap): LeadingId | undefined {
  let at = key.lastIndexOf('/');
  while (at > 0) {
    const candidate = key.slice(0, at);
    const newId = ids.lookup(candidate);
    if (newId !== undefined) return { oldId: candidate, newId, rest: key.slice(at + 1) };
    at = key.lastIndexOf('/', at - 1);
  }
  return undefined;
}

/**
 * `{prefix}{old}/{rest}` → its parts, for keys inside a consolidation prefix
 * (`conversations/{old}/…`); undefined when the key is outside the prefix or has no old id.
 */
export function splitPrefixedLeadingId(key: string, prefix: string, ids: IdMap): LeadingId | undefined {
  return key.startsWith(prefix) ? splitLeadingId(key.slice(prefix.length), ids) : undefined;
}

/**
 * Maps every whole segment (or run of segments, for ids containing `/`) that is an old id,
 * each original segment at most once, so swapped ids cannot cascade. `matched` is true when
 * at least one id was found, even if it maps to itself.
 */
export function mapIdSegments(parts: readonly string[], ids: IdMap): { parts: string[]; matched: boolean } {
  const out: string[] = [];
  let matched = false;
  let i = 0;
  while (i < parts.length) {
    let j = parts.length;
    for (; j > i; j--) {
      const mapped = ids.lookup(parts.slice(i, j).join('/'));
      if (mapped !== undefined) {
        out.push(mapped);
        matched = true;
        break;
      }
    }
    if (j > i) {
      i = j;
    } else {
      out.push(parts[i]);
      i += 1;
    }
  }
  return { parts: out, matched };
}
