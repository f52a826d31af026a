/**
 * The lossless export format of the old user-storage table
 * (docs/decisions/0008-backups-before-writes.md): one item per line, as a JSON object in
 * DynamoDB's wire format, binary as standard base64:
 *   {"PK":{"S":"…"},"n":{"N":"1.50"},"b":{"B":"AAE="},"bs":{"BS":["AAE="]},"m":{"M":{…}},…}
 * Numbers stay the decimal text DynamoDB returned, sets stay sets, attribute order is kept,
 * so `fromExportLine(toExportLine(item))` equals `item` exactly for every attribute type.
 * (The legacy CSV dropped attributes, double-encoded maps and stringified booleans.)
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';

export class ExportLineError extends Error {}

type WireValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, WireValue> }
  | { L: WireValue[] }
  | { NULL: true }
  | { BOOL: boolean };

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function fromBase64(text: unknown, path: string): Uint8Array {
  if (typeof text !== 'string' || !BASE64.test(text)) throw new ExportLineError(`${path}: expected base64 text`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Plain assignment of an attribute named `__proto__` would set the prototype and lose the attribute. */
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function encodeValue(v: AttributeValue): WireValue {
  if ('S' in v) return { S: v.S };
  if ('N' in v) return { N: v.N };
  if ('B' in v) return { B: toBase64(v.B) };
  if ('SS' in v) return { SS: [...v.SS] };
  if ('NS' in v) return { NS: [...v.NS] };
  if ('BS' in v) return { BS: v.BS.map(toBase64) };
  if ('M' in v) return { M: encodeMap(v.M) };
  if ('L' in v) return { L: v.L.map(encodeValue) };
  if ('NULL' in v) return { NULL: true };
  if ('BOOL' in v) return { BOOL: v.BOOL };
  throw new ExportLineError(`unknown attribute value type ${JSON.stringify(Object.keys(v))}`);
}

function encodeMap(m: Record<string, AttributeValue>): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const [name, value] of Object.entries(m)) setOwn(out, name, encodeValue(value));
  return out;
}

/** One export line (no trailing newline). */
export function toExportLine(item: Item): string {
  return JSON.stringify(encodeMap(item));
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw new ExportLineError(`${path}: expected an array of strings`);
  return [...value];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeValue(raw: unknown, path: string): AttributeValue {
  if (!isPlainObject(raw)) throw new ExportLineError(`${path}: expected a typed attribute value object`);
  const types = Object.keys(raw);
  if (types.length !== 1) throw new ExportLineError(`${path}: expected exactly one type tag, got ${JSON.stringify(types)}`);
  const [type] = types;
  const value = raw[type];
  switch (type) {
    case 'S':
      if (typeof value !== 'string') throw new ExportLineError(`${path}.S: expected a string`);
      return { S: value };
    case 'N':
      if (typeof value !== 'string') throw new ExportLineError(`${path}.N: expected the number as text`);
      return { N: value };
    case 'B':
      return { B: fromBase64(value, `${path}.B`) };
    case 'SS':
      return { SS: stringArray(value, `${path}.SS`) };
    case 'NS':
      return { NS: stringArray(value, `${path}.NS`) };
    case 'BS':
      return { BS: stringArray(value, `${path}.BS`).map((s, i) => fromBase64(s, `${path}.BS[${i}]`)) };
    case 'M':
      if (!isPlainObject(value)) throw new ExportLineError(`${path}.M: expected an object`);
      return { M: decodeMap(value, path) };
    case 'L':
      if (!Array.isArray(value)) throw new ExportLineError(`${path}.L: expected an array`);
      return { L: value.map((x, i) => decodeValue(x, `${path}[${i}]`)) };
    case 'NULL':
      if (value !== true) throw new ExportLineError(`${path}.NULL: expected true`);
      return { NULL: true };
    case 'BOOL':
      if (typeof value !== 'boolean') throw new ExportLineError(`${path}.BOOL: expected true or false`);
      return { BOOL: value };
    default:
      throw new ExportLineError(`${path}: unknown type tag "${type}"`);
  }
}

function decodeMap(raw: Record<string, unknown>, path: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(raw)) setOwn(out, name, decodeValue(value, path ? `${path}.${name}` : name));
  return out;
}

/** Parses one export line back into the wire-format item; throws ExportLineError naming the bad attribute. */
export function fromExportLine(line: string): Item {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new ExportLineError(`not JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(raw)) throw new ExportLineError('expected one JSON object (an item) per line');
  // AWS's own "Export to S3" writes each item wrapped as {"Item": {...}}: accept it too, so an
  // operator can import from a native export. A bare item never has a single key "Item"
  // holding a map of attribute values, because "Item" would itself need a type wrapper.
  const keys = Object.keys(raw);
  if (keys.length === 1 && keys[0] === 'Item' && isPlainObject(raw.Item) && !isAttributeValueShape(raw.Item)) {
    return decodeMap(raw.Item as Record<string, unknown>, '');
  }
  return decodeMap(raw, '');
}

const TYPE_TAGS = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
/** `{"S": "x"}` and its kin: the value of a bare attribute named "Item". */
function isAttributeValueShape(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && TYPE_TAGS.has(keys[0]);
}

/** An item as a JSON value in the export's wire form (for formats that embed items, like the ledger). */
export function encodeItem(item: Item): Record<string, unknown> {
  return encodeMap(item);
}

/** The inverse of encodeItem; throws ExportLineError naming the bad attribute under `path`. */
export function decodeItem(raw: unknown, path: string): Item {
  if (!isPlainObject(raw)) throw new ExportLineError(`${path}: expected an item object`);
  return decodeMap(raw, path);
}
