/**
 * Lossless export of DynamoDB items as JSON lines, in the AWS DynamoDB JSON export format:
 * one `{"Item": {...}}` per line, each attribute in its typed form (`{"S": ...}`,
 * `{"N": "1.50"}` with the number text as stored, `{"B": "<base64>"}`, sets as arrays,
 * `{"NULL": true}`, `{"BOOL": false}`). Used for the old basic-ops user-storage table
 * (DECISIONS.md §4) instead of the legacy CSV, which dropped attributes.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';

export function toExportLine(item: Item): string {
  return JSON.stringify({ Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, encode(v)])) });
}

export class ExportLineError extends Error {}

/** Parses one line written by toExportLine (or an AWS export line); throws on anything malformed. */
export function fromExportLine(line: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    throw new ExportLineError(`not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(parsed) || !isRecord(parsed.Item)) throw new ExportLineError('expected {"Item": {...}}');
  return Object.fromEntries(Object.entries(parsed.Item).map(([k, v]) => [k, decode(v, k)]));
}

function encode(v: AttributeValue): unknown {
  if ('B' in v) return { B: Buffer.from(v.B).toString('base64') };
  if ('BS' in v) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if ('M' in v) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, encode(x)])) };
  if ('L' in v) return { L: v.L.map(encode) };
  return v;
}

function decode(raw: unknown, path: string): AttributeValue {
  if (!isRecord(raw)) throw new ExportLineError(`${path}: expected a typed attribute`);
  const keys = Object.keys(raw);
  if (keys.length !== 1) throw new ExportLineError(`${path}: expected exactly one type tag, found ${keys.join(',') || 'none'}`);
  const [tag] = keys;
  const val = raw[tag];
  const fail = (): never => {
    throw new ExportLineError(`${path}: invalid ${tag} value`);
  };
  switch (tag) {
    case 'S':
      return typeof val === 'string' ? { S: val } : fail();
    case 'N':
      return typeof val === 'string' ? { N: val } : fail();
    case 'B':
      return typeof val === 'string' ? { B: fromBase64(val, path) } : fail();
    case 'SS':
      return isStringArray(val) ? { SS: [...val] } : fail();
    case 'NS':
      return isStringArray(val) ? { NS: [...val] } : fail();
    case 'BS':
      return isStringArray(val) ? { BS: val.map((b) => fromBase64(b, path)) } : fail();
    case 'M':
      return isRecord(val) ? { M: Object.fromEntries(Object.entries(val).map(([k, x]) => [k, decode(x, `${path}.${k}`)])) } : fail();
    case 'L':
      return Array.isArray(val) ? { L: val.map((x, i) => decode(x, `${path}[${i}]`)) } : fail();
    case 'NULL':
      return val === true ? { NULL: true } : fail();
    case 'BOOL':
      return typeof val === 'boolean' ? { BOOL: val } : fail();
    default:
      throw new ExportLineError(`${path}: unknown type tag ${tag}`);
  }
}

function fromBase64(text: string, path: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new ExportLineError(`${path}: invalid base64`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
