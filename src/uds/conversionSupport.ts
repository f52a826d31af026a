/** Small helpers shared by the USER_DATA_STORAGE conversions. */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import { type JsonNode, type LoadedContent, toAttributeValue, toJsonNode } from './json';
import type { Problem } from './item';

export interface ConversionResult {
  /** Items to write to USER_DATA_STORAGE (each under its own key; none overwrite each other). */
  items: Item[];
  problems: Problem[];
}

export function stringAttr(item: Record<string, AttributeValue> | undefined, name: string): string | undefined {
  const v = item?.[name];
  return v && 'S' in v ? v.S : undefined;
}

export function listOfMaps(item: Item, name: string): Array<Record<string, AttributeValue>> {
  const v = item[name];
  if (!v || !('L' in v)) return [];
  return v.L.map((x) => ('M' in x ? x.M : {}));
}

export type ContentLookup = Readonly<Record<string, LoadedContent>> | ReadonlyMap<string, LoadedContent>;

export function lookupContent(contents: ContentLookup, key: string): LoadedContent | undefined {
  if (contents instanceof Map) return contents.get(key);
  const record = contents as Readonly<Record<string, LoadedContent>>;
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Parses loaded content; a problem instead of an exception when it is not valid JSON. */
export function parseContent(content: LoadedContent, subject: string): { node: JsonNode } | { problem: Problem } {
  try {
    return { node: toJsonNode(content) };
  } catch (e) {
    return { problem: { severity: 'error', code: 'content-invalid', subject, message: `not valid JSON: ${(e as Error).message}` } };
  }
}

/** The `data` map of an item; the services read `data` as a map, so other JSON is refused. */
export function dataMap(node: JsonNode, subject: string): { data: AttributeValue } | { problem: Problem } {
  if (node.t !== 'obj') {
    return { problem: { severity: 'error', code: 'content-invalid', subject, message: `expected a JSON object, found ${node.t}` } };
  }
  try {
    return { data: toAttributeValue(node) };
  } catch (e) {
    return { problem: { severity: 'error', code: 'content-invalid', subject, message: (e as Error).message } };
  }
}

export function isEmptyAttribute(v: AttributeValue | undefined): boolean {
  if (!v || 'NULL' in v) return true;
  if ('S' in v) return v.S === '';
  if ('M' in v) return Object.keys(v.M).length === 0;
  if ('L' in v) return v.L.length === 0;
  if ('BOOL' in v) return !v.BOOL;
  if ('N' in v) return Number(v.N) === 0;
  return false;
}
