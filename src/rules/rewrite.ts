/**
 * Small combinators the table rules are declared with. Each `ValueRewrite` maps the ids
 * inside one attribute value through the WHOLE id map (exact tokens, src/rules/tokens.ts)
 * and returns the very same reference when nothing changed, so untouched values (numbers,
 * sets, binary, unknown attributes) keep their exact wire form and callers can tell "no
 * change" cheaply. Nothing here mutates its input.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import { mapEverySegment, mapLeadingSegment, mapWhole } from './tokens';
import type { RewriteContext } from './types';

export type ValueRewrite = (value: AttributeValue, ids: IdMap) => AttributeValue;

function stringRewrite(map: (s: string, ids: IdMap) => string): ValueRewrite {
  return (value, ids) => {
    if (!('S' in value)) return value;
    const mapped = map(value.S, ids);
    return mapped === value.S ? value : { S: mapped };
  };
}

/** A string attribute that is a user id as a whole. */
export const wholeId: ValueRewrite = stringRewrite(mapWhole);

/** A composite string whose first `separator`-segment(s) is a user id (`{user}/thr/{uuid}`, `{user}#{date}`). */
export const leadingId = (separator: string): ValueRewrite =>
  stringRewrite((s, ids) => mapLeadingSegment(s, separator, ids));

/** A composite string in which any whole `separator`-segment may be a user id. */
export const everySegmentId = (separator: string): ValueRewrite =>
  stringRewrite((s, ids) => mapEverySegment(s, separator, ids));

/** Tries each rewrite in turn and keeps the first that changes the value. */
export const firstMatching =
  (...rewrites: ValueRewrite[]): ValueRewrite =>
  (value, ids) => {
    for (const rewrite of rewrites) {
      const out = rewrite(value, ids);
      if (out !== value) return out;
    }
    return value;
  };

/**
 * A list (L) of user-id strings or a string set (SS): every element mapped whole, order
 * kept. A set is always de-duplicated (DynamoDB refuses duplicate set members); a list only
 * when `dedupe` is set, and then only if something was mapped (keeping first occurrences),
 * for lists the services treat as sets (admins, members). Non-string list elements are kept.
 */
export const idList =
  (options: { dedupe?: boolean } = {}): ValueRewrite =>
  (value, ids) => {
    if ('SS' in value) {
      const mapped = value.SS.map((s) => mapWhole(s, ids));
      if (mapped.every((s, i) => s === value.SS[i])) return value;
      return { SS: [...new Set(mapped)] };
    }
    if ('L' in value) {
      const mapped = value.L.map((element) => wholeId(element, ids));
      if (mapped.every((element, i) => element === value.L[i])) return value;
      return { L: options.dedupe ? dedupeStrings(mapped) : mapped };
    }
    return value;
  };

function dedupeStrings(list: AttributeValue[]): AttributeValue[] {
  const seen = new Set<string>();
  return list.filter((element) => {
    if (!('S' in element)) return true;
    if (seen.has(element.S)) return false;
    seen.add(element.S);
    return true;
  });
}

/** Every element of a list (L) rewritten by `inner` (e.g. a list of maps). */
export const eachElement =
  (inner: ValueRewrite): ValueRewrite =>
  (value, ids) => {
    if (!('L' in value)) return value;
    const mapped = value.L.map((element) => inner(element, ids));
    return mapped.every((element, i) => element === value.L[i]) ? value : { L: mapped };
  };

/** Named members of a map (M) rewritten, the others kept as they are. */
export const fields =
  (spec: Readonly<Record<string, ValueRewrite>>): ValueRewrite =>
  (value, ids) => {
    if (!('M' in value)) return value;
    const mapped = rewriteMembers(value.M, spec, ids);
    return mapped === value.M ? value : { M: mapped };
  };

/** Every value of a map (M) rewritten by `inner` (maps keyed by group or flag name). */
export const eachMapValue =
  (inner: ValueRewrite): ValueRewrite =>
  (value, ids) => {
    if (!('M' in value)) return value;
    let changed = false;
    const out: Record<string, AttributeValue> = {};
    for (const [key, member] of Object.entries(value.M)) {
      out[key] = inner(member, ids);
      changed ||= out[key] !== member;
    }
    return changed ? { M: out } : value;
  };

/**
 * A map (M) keyed by user id (`members: {userId: permission}`): keys mapped whole. When a
 * mapped key lands on a key already present, `merge(existingUnderNewKey, movedFromOldKey)`
 * decides the kept value.
 */
export const idKeyedMap =
  (merge: (existing: AttributeValue, moved: AttributeValue) => AttributeValue): ValueRewrite =>
  (value, ids) => {
    if (!('M' in value)) return value;
    const entries = Object.entries(value.M);
    if (!entries.some(([key]) => mapWhole(key, ids) !== key)) return value;
    const out: Record<string, AttributeValue> = {};
    // Unmapped keys first, so a moved entry always meets what already sits under its new key.
    for (const [key, member] of entries) if (mapWhole(key, ids) === key) out[key] = member;
    for (const [key, member] of entries) {
      const newKey = mapWhole(key, ids);
      if (newKey === key) continue;
      out[newKey] = newKey in out ? merge(out[newKey], member) : member;
    }
    return { M: out };
  };

function rewriteMembers(
  members: Readonly<Record<string, AttributeValue>>,
  spec: Readonly<Record<string, ValueRewrite>>,
  ids: IdMap,
): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> | undefined;
  for (const [name, rewrite] of Object.entries(spec)) {
    const before = members[name];
    if (before === undefined) continue;
    const after = rewrite(before, ids);
    if (after !== before) {
      out ??= { ...members };
      out[name] = after;
    }
  }
  return out ?? members;
}

/**
 * A rule's `rewrite` from the attributes that carry ids. Like every combinator here it
 * returns the item itself when nothing changed (the TableRule contract), and otherwise a new
 * top-level object that shares the unchanged attributes.
 */
export function rewriteAttributes(spec: Readonly<Record<string, ValueRewrite>>): (item: Item, ctx: RewriteContext) => Item {
  return (item, ctx) => rewriteMembers(item, spec, ctx.ids);
}
