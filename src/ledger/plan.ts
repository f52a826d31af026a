/**
 * From a run's ledger to the undo steps of a revert, and the verdict on each step given what
 * the store holds now. Pure: the activities read the ledger and the current state.
 *
 * 1. Dedupe by meaning: a retried attempt records the same entries again; the first stays.
 * 2. Drop entries that were never applied, or that the run itself wrote over: per slot (an item
 *    key, an object key, a parameter name), each write must find what the previous entry left;
 *    if the next entry on that slot read something else, the earlier one did not happen as
 *    recorded (its condition failed) or the app wrote in between, and the later entry's
 *    "before" is what a revert restores either way.
 * 3. Reverse order: the last write is undone first, so chained writes unwind.
 *
 * Each step is then judged against the current state: `undo` (the slot still holds what the
 * run wrote), `done` (it already holds what was there before: reverted, or never applied) or
 * `conflict` (someone wrote since: left as it is and reported, unless --on-conflict says otherwise).
 */
import { encodeItem } from '../backup/exportLines';
import { attributeEquals, changedAttributes, itemEquals, type Item } from '../dynamo/attributeValue';
import { isMove, type ItemEntry, type LedgerEntry, type ObjectEntry, type ParameterEntry } from './types';

export type UndoEntry = ItemEntry | ObjectEntry | ParameterEntry;

/** A stable text for a JSON-able value: object keys sorted, set members sorted. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${k === 'SS' || k === 'NS' || k === 'BS' ? canonical([...(v as string[])].sort()) : canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const itemText = (item: Item | undefined): string => (item ? canonical(encodeItem(item)) : 'absent');

export function entryFingerprint(entry: LedgerEntry): string {
  if (entry.kind !== 'item') return canonical(entry);
  return canonical({ ...entry, oldKey: itemText(entry.oldKey), old: itemText(entry.old), newKey: itemText(entry.newKey), new: itemText(entry.new), replaced: itemText(entry.replaced) });
}

interface Effect {
  slot: string;
  before: string;
  after: string;
}

/** What an entry does to each slot it touches, as canonical text. */
export function effects(entry: UndoEntry): Effect[] {
  switch (entry.kind) {
    case 'item': {
      const at = (key: Item) => `item ${entry.table} ${itemText(key)}`;
      if (entry.oldKey && isMove(entry)) {
        return [
          { slot: at(entry.oldKey), before: itemText(entry.old), after: 'absent' },
          { slot: at(entry.newKey), before: itemText(entry.replaced), after: itemText(entry.new) },
        ];
      }
      return [{ slot: at(entry.newKey), before: itemText(entry.old ?? entry.replaced), after: itemText(entry.new) }];
    }
    case 'object':
      // Only the key matters for the chain: a later copy of the same key supersedes an earlier one.
      return [{ slot: `object ${entry.bucket} ${entry.key}`, before: 'absent', after: 'absent' }];
    case 'parameter':
      return [{ slot: `parameter ${entry.name}`, before: entry.previous ?? 'absent', after: entry.value }];
  }
}

export interface RevertSteps {
  /** Undo steps, last write first. */
  steps: UndoEntry[];
  /** Entries dropped as duplicates, never applied, or written over by the run itself. */
  superseded: number;
  /** Cleanup markers: the run deleted legacy objects, so it cannot be reverted. */
  cleanupSources: string[];
}

export function revertSteps(entries: readonly LedgerEntry[]): RevertSteps {
  const seen = new Set<string>();
  const unique: UndoEntry[] = [];
  const cleanupSources: string[] = [];
  let markers = 0;
  for (const entry of entries) {
    if (entry.kind === 'cleanup') {
      markers++;
      if (!cleanupSources.includes(entry.source)) cleanupSources.push(entry.source);
      continue;
    }
    const print = entryFingerprint(entry);
    if (seen.has(print)) continue;
    seen.add(print);
    unique.push(entry);
  }
  // Walk backwards: an entry stays only if every slot it touches was left as it wrote it by
  // the next kept entry on that slot (or no later entry touches it).
  const nextBefore = new Map<string, string>();
  const kept: UndoEntry[] = [];
  // Per object slot, the sources whose copy found the destination taken and wrote nothing.
  const untouchedSources = new Map<string, Set<string>>();
  for (let i = unique.length - 1; i >= 0; i--) {
    const entry = unique[i];
    const touched = effects(entry);
    if (entry.kind === 'object') {
      const slot = touched[0].slot;
      const source = entry.source ?? '';
      const cancelled = untouchedSources.get(slot) ?? new Set<string>();
      untouchedSources.set(slot, cancelled);
      // A marker is no step; it cancels the intent of its own copy. The last copy of a key
      // stands for all earlier ones (one delete undoes them all).
      if (entry.untouched) cancelled.add(source);
      else if (!cancelled.has(source) && !nextBefore.has(slot)) {
        nextBefore.set(slot, 'absent');
        kept.push(entry);
      }
      continue;
    }
    const intact = touched.every((e) => !nextBefore.has(e.slot) || nextBefore.get(e.slot) === e.after);
    if (intact) {
      for (const e of touched) nextBefore.set(e.slot, e.before);
      kept.push(entry);
    }
  }
  return { steps: kept, superseded: entries.length - markers - kept.length, cleanupSources };
}

export type Verdict = 'undo' | 'done' | 'conflict';

/** What an item step's keys hold now (absent: undefined). For an in-place update both are the same read. */
export interface ItemState {
  atOld?: Item;
  atNew?: Item;
}

const same = (a: Item | undefined, b: Item | undefined) => (a === undefined || b === undefined ? a === b : itemEquals(a, b));

/** The attributes an in-place update changed: a revert restores only those, so the app's writes to others survive. */
export function inPlaceAttributes(entry: ItemEntry): string[] {
  const { set, removed } = changedAttributes(entry.old ?? {}, entry.new);
  return [...set, ...removed];
}

function attributesAre(current: Item, model: Item, names: readonly string[]): boolean {
  return names.every((n) => attributeEquals(current[n], model[n]));
}

export function judgeItem(entry: ItemEntry, state: ItemState): Verdict {
  if (entry.oldKey && entry.old && isMove(entry)) {
    if (same(state.atNew, entry.new) && state.atOld === undefined) return 'undo';
    if (same(state.atOld, entry.old) && same(state.atNew, entry.replaced)) return 'done';
    return 'conflict';
  }
  if (entry.old) {
    if (!state.atNew) return 'conflict';
    const names = inPlaceAttributes(entry);
    if (attributesAre(state.atNew, entry.new, names)) return names.length === 0 ? 'done' : 'undo';
    if (attributesAre(state.atNew, entry.old, names)) return 'done';
    return 'conflict';
  }
  if (same(state.atNew, entry.new)) return 'undo';
  if (same(state.atNew, entry.replaced)) return 'done';
  return 'conflict';
}

/** An object step: the ETag (and version) at its key now, or absent. */
export function judgeObject(entry: ObjectEntry, current: { etag: string } | undefined): Verdict {
  if (!current || entry.untouched) return 'done';
  if (entry.etag !== undefined && current.etag === entry.etag) return 'undo';
  return 'conflict';
}

/** A parameter step: its value now, or absent. */
export function judgeParameter(entry: ParameterEntry, current: string | undefined): Verdict {
  if (current === entry.value) return 'undo';
  if (current === entry.previous) return 'done';
  return 'conflict';
}

/** Where a step is counted in the plan and the report: a table, a bucket or Parameter Store. */
export function stepWhere(entry: UndoEntry): string {
  if (entry.kind === 'item') return entry.table;
  if (entry.kind === 'object') return entry.bucket;
  return 'Parameter Store';
}
