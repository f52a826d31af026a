/**
 * DynamoDB's wire format (the shape of `AttributeValue` in the AWS SDK), declared here so
 * the pure core can transform items without importing the SDK. Rules work on this form,
 * never on unmarshalled JS values: numbers stay decimal strings, sets stay sets, binary
 * stays binary, so an item we do not change round-trips byte for byte.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

export type Item = Record<string, AttributeValue>;

export const isS = (v: AttributeValue | undefined): v is { S: string } => v !== undefined && 'S' in v;
export const isM = (v: AttributeValue | undefined): v is { M: Record<string, AttributeValue> } => v !== undefined && 'M' in v;
export const isL = (v: AttributeValue | undefined): v is { L: AttributeValue[] } => v !== undefined && 'L' in v;
export const isSS = (v: AttributeValue | undefined): v is { SS: string[] } => v !== undefined && 'SS' in v;

export const str = (s: string): AttributeValue => ({ S: s });
export const num = (n: number | string): AttributeValue => ({ N: String(n) });

export function getString(item: Item | Record<string, AttributeValue>, name: string): string | undefined {
  const v = item[name];
  return isS(v) ? v.S : undefined;
}

/** Structural equality on the wire form; set order does not matter (DynamoDB sets are unordered). */
export function attributeEquals(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const [ka] = Object.keys(a);
  const [kb] = Object.keys(b);
  if (ka !== kb) return false;
  const va = (a as Record<string, unknown>)[ka];
  const vb = (b as Record<string, unknown>)[kb];
  switch (ka) {
    case 'S':
    case 'N':
    case 'BOOL':
    case 'NULL':
      return va === vb;
    case 'B':
      return bytesEqual(va as Uint8Array, vb as Uint8Array);
    case 'SS':
    case 'NS': {
      const sa = [...(va as string[])].sort();
      const sb = [...(vb as string[])].sort();
      return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
    }
    case 'BS': {
      const la = va as Uint8Array[];
      const lb = vb as Uint8Array[];
      return la.length === lb.length && la.every((x) => lb.some((y) => bytesEqual(x, y)));
    }
    case 'L': {
      const la = va as AttributeValue[];
      const lb = vb as AttributeValue[];
      return la.length === lb.length && la.every((x, i) => attributeEquals(x, lb[i]));
    }
    case 'M':
      return itemEquals(va as Item, vb as Item);
    default:
      return false;
  }
}

export function itemEquals(a: Item, b: Item): boolean {
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((k) => k in b && attributeEquals(a[k], b[k]));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Names of top-level attributes whose values differ between two versions of an item. */
export function changedAttributes(before: Item, after: Item): { set: string[]; removed: string[] } {
  const set = Object.keys(after).filter((k) => !attributeEquals(before[k], after[k]));
  const removed = Object.keys(before).filter((k) => !(k in after));
  return { set, removed };
}

/**
 * The item size limit every write checks against (the rewrite engine, the conversions into
 * USER_DATA_STORAGE). DynamoDB's limit is 400 KB (409,600 bytes) of attribute names and values;
 * itemSizeBytes is an estimate of that count, so the limit is taken as 400,000 bytes, the
 * margin moto enforces too.
 */
export const MAX_ITEM_BYTES = 400_000;

/** Approximate item size as DynamoDB counts it (attribute names + values), for the 400 KB check. */
export function itemSizeBytes(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(v: AttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v.S);
  if ('N' in v) return Math.ceil(v.N.length / 2) + 1;
  if ('B' in v) return v.B.length;
  if ('SS' in v) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if ('NS' in v) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if ('BS' in v) return v.BS.reduce((n, b) => n + b.length, 0);
  if ('M' in v) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + Buffer.byteLength(k) + 1 + valueSize(x), 0);
  if ('L' in v) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  return 1;
}
