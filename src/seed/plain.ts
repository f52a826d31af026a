/**
 * Writing sample items as plain values and turning them into DynamoDB's wire form. The
 * services store numbers, sets, nulls and nested maps; plain JS cannot say "string set" or
 * "this decimal exactly", so those go through the explicit wrappers below.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';

/** A value already in wire form (string/number sets, exact decimals). */
export class Wire {
  constructor(readonly value: AttributeValue) {}
}

export type Plain = string | number | boolean | null | Wire | readonly Plain[] | { readonly [name: string]: Plain | undefined };

export type PlainMap = { readonly [name: string]: Plain | undefined };

export const stringSet = (values: readonly string[]): Wire => new Wire({ SS: [...values] });
export const numberSet = (values: readonly (number | string)[]): Wire => new Wire({ NS: values.map(String) });
/** An exact decimal as DynamoDB would return it (e.g. a cost like "0.0123"). */
export const decimal = (text: string): Wire => new Wire({ N: text });

export function toAttribute(value: Plain): AttributeValue {
  if (value instanceof Wire) return value.value;
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a DynamoDB number: ${value}`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: (value as readonly Plain[]).map(toAttribute) };
  return { M: toItem(value as PlainMap) };
}

/** Attributes whose value is `undefined` are left out, as an absent attribute. */
export function toItem(fields: PlainMap): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) item[name] = toAttribute(value);
  }
  return item;
}
