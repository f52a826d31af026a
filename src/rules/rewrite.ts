/**
 * The combinators every table rule is declared with (src/rules/*.ts and src/rules/always/*).
 * Each `ValueRewrite` maps the ids inside one attribute value through the WHOLE id map
 * (exact tokens, src/rules/tokens.ts), and pointers only once their data is verified, and
 * returns the very same reference when nothing changed: untouched values (numbers, sets,
 * binary, unknown attributes) keep their exact wire form, and a rule built from these returns
 * its input itself for an unchanged item, as the TableRule contract asks. Nothing here
 * mutates its input.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import { mapEverySegment, mapLeadingSegment, mapWhole } from './tokens';
import type { RewriteContext } from './types';

/**
 * What a value rewrite sees: the run's context and the whole item being rewritten, as read
 * (a pointer may depend on a sibling attribute: an artifact key on the row's owner).
 */
export interface ValueContext extends RewriteContext {
  readonly item: Item;
}

export type ValueRewrite = (value: AttributeValue, ctx: ValueContext) => AttributeValue;

/**
 * A rewrite of a named attribute or map member (rewriteAttributes, fields), which may also
 * remove it (undefined): a pointer whose new form is "absent". List elements cannot be
 * removed, so eachElement and friends take only ValueRewrites.
 */
export type MemberRewrite = (value: AttributeValue, ctx: ValueContext) => AttributeValue | undefined;

/** A string value mapped by `map`; other types are left as they are. `undefined` removes the member. */
export function mapString(map: (s: string, ctx: ValueContext) => string): ValueRewrite;
export function mapString(map: (s: string, ctx: ValueContext) => string | undefined): MemberRewrite;
export function mapString(map: (s: string, ctx: ValueContext) => string | undefined): MemberRewrite {
  return (value, ctx) => {
    if (!('S' in value)) return value;
    const mapped = map(value.S, ctx);
    if (mapped === value.S) return value;
    return mapped === undefined ? undefined : { S: mapped };
  };
}

/** A string attribute that is a user id as a whole. */
export const wholeId: ValueRewrite = mapString((s, ctx) => mapWhole(s, ctx.ids));

/** A composite string whose first `separator`-segment(s) is a user id (`{user}/thr/{uuid}`, `{user}#{date}`). */
export const leadingId = (separator: string): ValueRewrite => mapString((s, ctx) => mapLeadingSegment(s, separator, ctx.ids));

/** A composite string in which any whole `separator`-segment may be a user id. */
export const everySegmentId = (separator: string): ValueRewrite => mapString((s, ctx) => mapEverySegment(s, separator, ctx.ids));

/**
 * Applied only when ctx.pointersReady: the S3 objects a pointer names are copied and verified
 * (pointers move after their data, docs/decisions/0002-pointers-move-after-their-data.md). Before
 * that the value stays.
 */
export function whenPointersReady(rewrite: ValueRewrite): ValueRewrite;
export function whenPointersReady(rewrite: MemberRewrite): MemberRewrite;
export function whenPointersReady(rewrite: MemberRewrite): MemberRewrite {
  return (value, ctx) => (ctx.pointersReady ? rewrite(value, ctx) : value);
}

/** A string pointer to an S3 object (see whenPointersReady); `undefined` removes it. */
export function pointer(map: (s: string, ctx: ValueContext) => string): ValueRewrite;
export function pointer(map: (s: string, ctx: ValueContext) => string | undefined): MemberRewrite;
export function pointer(map: (s: string, ctx: ValueContext) => string | undefined): MemberRewrite {
  return whenPointersReady(mapString(map));
}

/** Tries each rewrite in turn and keeps the first that changes the value. */
export const firstMatching =
  (...rewrites: ValueRewrite[]): ValueRewrite =>
  (value, ctx) => {
    for (const rewrite of rewrites) {
      const out = rewrite(value, ctx);
      if (out !== value) return out;
    }
    return value;
  };

/** Applies every rewrite, each to the previous one's result (a clean-up, then a pointer). */
export const inOrder =
  (...rewrites: ValueRewrite[]): ValueRewrite =>
  (value, ctx) =>
    rewrites.reduce((acc, rewrite) => rewrite(acc, ctx), value);

/**
 * A list (L) of user-id strings or a string set (SS): every element mapped whole, order
 * kept. A set is always de-duplicated (DynamoDB refuses duplicate set members); a list only
 * when `dedupe` is set, and then only if something was mapped (keeping first occurrences),
 * for lists the services treat as sets (admins, members). Non-string list elements are kept.
 */
export const idList =
  (options: { dedupe?: boolean } = {}): ValueRewrite =>
  (value, ctx) => {
    if ('SS' in value) {
      const mapped = value.SS.map((s) => mapWhole(s, ctx.ids));
      if (mapped.every((s, i) => s === value.SS[i])) return value;
      return { SS: [...new Set(mapped)] };
    }
    if ('L' in value) {
      const mapped = value.L.map((element) => wholeId(element, ctx));
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
  (value, ctx) => {
    if (!('L' in value)) return value;
    const mapped = value.L.map((element) => inner(element, ctx));
    return mapped.every((element, i) => element === value.L[i]) ? value : { L: mapped };
  };

/** Named members of a map (M) rewritten, the others kept as they are. */
export const fields =
  (spec: Readonly<Record<string, MemberRewrite>>): ValueRewrite =>
  (value, ctx) => {
    if (!('M' in value)) return value;
    const mapped = rewriteMembers(value.M, spec, ctx);
    return mapped === value.M ? value : { M: mapped };
  };

/** Every value of a map (M) rewritten by `inner` (maps keyed by group or flag name). */
export const eachMapValue =
  (inner: ValueRewrite): ValueRewrite =>
  (value, ctx) => {
    if (!('M' in value)) return value;
    let changed = false;
    const out: Record<string, AttributeValue> = {};
    for (const [key, member] of Object.entries(value.M)) {
      out[key] = inner(member, ctx);
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
  (value, ctx) => {
    if (!('M' in value)) return value;
    const ids = ctx.ids;
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
  spec: Readonly<Record<string, MemberRewrite>>,
  ctx: ValueContext,
): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> | undefined;
  for (const [name, rewrite] of Object.entries(spec)) {
    const before = members[name];
    if (before === undefined) continue;
    const after = rewrite(before, ctx);
    if (after !== before) {
      // Copy on first change; the copy keeps the members' order, so does a removal.
      out ??= { ...members };
      if (after === undefined) delete out[name];
      else out[name] = after;
    }
  }
  return out ?? members;
}

/**
 * A rule's `rewrite` from the attributes that carry ids. Like every combinator here it
 * returns the item itself when nothing changed (the TableRule contract), and otherwise a new
 * top-level object that shares the unchanged attributes.
 */
export function rewriteAttributes(spec: Readonly<Record<string, MemberRewrite>>): (item: Item, ctx: RewriteContext) => Item {
  return (item, ctx) => rewriteMembers(item, spec, { ...ctx, item });
}
