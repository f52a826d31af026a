/**
 * Exact-token id matching (the legacy's prefix matching deleted other users' rows): an id matches
 * only as a whole value or as a whole run of segments of a composite value. Never substring or
 * prefix matching, so `bob` never touches `bobby`, and ids that themselves contain the separator
 * (`a/b`) or `+` still match exactly.
 */
import type { IdMap } from '../idmap/types';

/** The mapped id when the whole value is an old id, else the value unchanged. */
export function mapWhole(value: string, ids: IdMap): string {
  return ids.lookup(value) ?? value;
}

/**
 * Maps an id that stands at the start of a composite value, followed by `separator`
 * (`{user}/ast/{uuid}`, `{user}#{date}`). Because an id may itself contain the separator,
 * every separator boundary is tried, longest candidate first.
 */
export function mapLeadingSegment(value: string, separator: string, ids: IdMap): string {
  let at = value.lastIndexOf(separator);
  while (at > 0) {
    const candidate = value.slice(0, at);
    const mapped = ids.lookup(candidate);
    if (mapped !== undefined) return mapped + value.slice(at);
    at = value.lastIndexOf(separator, at - 1);
  }
  return value;
}

/**
 * Maps every whole segment of a composite value that is an old id (`a#b#c`). Runs of
 * segments are tried longest first from each position, so ids containing the separator
 * match; each original segment is mapped at most once.
 */
export function mapEverySegment(value: string, separator: string, ids: IdMap): string {
  const parts = value.split(separator);
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    let matched = false;
    for (let j = parts.length; j > i; j--) {
      const mapped = ids.lookup(parts.slice(i, j).join(separator));
      if (mapped !== undefined) {
        out.push(mapped);
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) out.push(parts[i++]);
  }
  return out.join(separator);
}
