/**
 * Copy-on-write helpers over the DynamoDB wire form for the ALWAYS rules. Every helper
 * returns its input object itself when nothing changed, so an untouched item (or nested
 * map) keeps its exact form and identity, and never mutates its input.
 */
import { isL, isM, type AttributeValue, type Item } from '../../dynamo/attributeValue';

/** `item` with attribute `name` set to `value`, or removed when `value` is undefined. */
export function withAttribute(item: Item, name: string, value: AttributeValue | undefined): Item {
  if (value === undefined) {
    if (!(name in item)) return item;
    const { [name]: _removed, ...rest } = item;
    return rest;
  }
  return item[name] === value ? item : { ...item, [name]: value };
}

/**
 * Applies `map` to a string attribute; `map` returns the new string, or undefined to remove
 * the attribute. Non-string and absent attributes are left as they are.
 */
export function mapStringAttribute(item: Item, name: string, map: (value: string) => string | undefined): Item {
  const current = item[name];
  if (current === undefined || !('S' in current)) return item;
  const mapped = map(current.S);
  if (mapped === current.S) return item;
  return withAttribute(item, name, mapped === undefined ? undefined : { S: mapped });
}

/** Applies `map` to every map (M) element of a list attribute (L); other elements are kept. */
export function mapListOfMaps(item: Item, name: string, map: (entry: Item) => Item): Item {
  const list = item[name];
  if (!isL(list)) return item;
  let changed = false;
  const next = list.L.map((element) => {
    if (!isM(element)) return element;
    const mapped = map(element.M);
    if (mapped === element.M) return element;
    changed = true;
    return { M: mapped };
  });
  return changed ? { ...item, [name]: { L: next } } : item;
}

/** Applies `map` to a map attribute (M). */
export function mapMapAttribute(item: Item, name: string, map: (inner: Item) => Item): Item {
  const current = item[name];
  if (!isM(current)) return item;
  const mapped = map(current.M);
  return mapped === current.M ? item : { ...item, [name]: { M: mapped } };
}

/** Applies several item rewrites in order. */
export function pipe(item: Item, ...steps: ((item: Item) => Item)[]): Item {
  return steps.reduce((acc, step) => step(acc), item);
}
