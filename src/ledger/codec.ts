/**
 * Ledger chunks as JSON lines: one entry per line, items in the lossless DynamoDB-JSON form of
 * the user-storage export (binary as base64, numbers as DynamoDB's text, sets as sets), so an
 * image read back from the ledger equals the item that was read, attribute for attribute.
 */
import { decodeItem, encodeItem } from '../backup/exportLines';
import type { Item } from '../dynamo/attributeValue';
import type { LedgerEntry } from './types';

export class LedgerFormatError extends Error {
  override name = 'LedgerFormatError';
}

type Json = Record<string, unknown>;

function encodeEntry(entry: LedgerEntry): Json {
  switch (entry.kind) {
    case 'item': {
      const out: Json = { kind: 'item', table: entry.table };
      if (entry.oldKey) out.oldKey = encodeItem(entry.oldKey);
      if (entry.old) out.old = encodeItem(entry.old);
      out.newKey = encodeItem(entry.newKey);
      out.new = encodeItem(entry.new);
      if (entry.replaced) out.replaced = encodeItem(entry.replaced);
      return out;
    }
    default:
      // Objects, parameters and cleanup markers are plain JSON already.
      return { ...entry };
  }
}

/** One chunk: entries as JSON lines, each line ending in a newline. */
export function encodeChunk(entries: readonly LedgerEntry[]): string {
  return entries.map((e) => `${JSON.stringify(encodeEntry(e))}\n`).join('');
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(raw: Json, name: string, where: string, optional = false): string | undefined {
  const v = raw[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new LedgerFormatError(`${where}: "${name}" must be a string`);
  return v;
}

function item(raw: Json, name: string, where: string): Item | undefined {
  return raw[name] === undefined ? undefined : decodeItem(raw[name], `${where}: ${name}`);
}

function decodeEntry(raw: unknown, where: string): LedgerEntry {
  if (!isObject(raw)) throw new LedgerFormatError(`${where}: expected one JSON object per line`);
  switch (raw.kind) {
    case 'item': {
      const newKey = item(raw, 'newKey', where);
      const next = item(raw, 'new', where);
      if (!newKey || !next) throw new LedgerFormatError(`${where}: an item entry needs "newKey" and "new"`);
      const oldKey = item(raw, 'oldKey', where);
      const old = item(raw, 'old', where);
      if ((oldKey === undefined) !== (old === undefined)) throw new LedgerFormatError(`${where}: "oldKey" and "old" go together`);
      const replaced = item(raw, 'replaced', where);
      return {
        kind: 'item',
        table: text(raw, 'table', where)!,
        ...(oldKey ? { oldKey, old } : {}),
        newKey,
        new: next,
        ...(replaced ? { replaced } : {}),
      };
    }
    case 'object': {
      if (typeof raw.confirmed !== 'boolean') throw new LedgerFormatError(`${where}: "confirmed" must be true or false`);
      const etag = text(raw, 'etag', where, true);
      const versionId = text(raw, 'versionId', where, true);
      const source = text(raw, 'source', where, true);
      if (raw.untouched !== undefined && raw.untouched !== true) throw new LedgerFormatError(`${where}: "untouched" must be true when present`);
      return {
        kind: 'object',
        bucket: text(raw, 'bucket', where)!,
        key: text(raw, 'key', where)!,
        ...(source !== undefined ? { source } : {}),
        ...(etag !== undefined ? { etag } : {}),
        ...(versionId !== undefined ? { versionId } : {}),
        confirmed: raw.confirmed,
        ...(raw.untouched === true ? { untouched: true as const } : {}),
      };
    }
    case 'parameter': {
      const previous = text(raw, 'previous', where, true);
      return { kind: 'parameter', name: text(raw, 'name', where)!, ...(previous !== undefined ? { previous } : {}), value: text(raw, 'value', where)! };
    }
    case 'cleanup':
      return { kind: 'cleanup', source: text(raw, 'source', where)! };
    default:
      throw new LedgerFormatError(`${where}: unknown entry kind ${JSON.stringify(raw.kind)}`);
  }
}

/**
 * Parses one chunk. `name` (the object key) goes into every error with the line number. A
 * last line without its newline is a chunk cut short and is refused like any bad line: the
 * writer puts whole objects, so that never happens unless something else wrote there.
 */
export function decodeChunk(body: string, name: string): LedgerEntry[] {
  if (body.length > 0 && !body.endsWith('\n')) throw new LedgerFormatError(`${name}: the last line has no newline (a truncated chunk)`);
  const lines = body.split('\n');
  lines.pop();
  return lines.map((line, i) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new LedgerFormatError(`${name} line ${i + 1}: not JSON (${(err as Error).message})`);
    }
    return decodeEntry(raw, `${name} line ${i + 1}`);
  });
}
