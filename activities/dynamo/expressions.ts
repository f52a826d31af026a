/**
 * Builds the condition and update expressions the rewrite engine sends. Pure (no SDK
 * calls), so a dry run can check the same limits a real run would hit.
 *
 * Every attribute name and value goes through a placeholder: attribute names of the
 * Amplify tables include reserved words (`user`, `name`, `data`, `key`, `time` ...).
 *
 * Equality on maps and lists: DynamoDB's `=` comparator is defined for every type,
 * including M and L (compared structurally, sets order-free). The moto server used by the
 * tests implements the same (it compares the cast values recursively), verified with maps,
 * lists, string sets, binary and NULL values; so "unchanged since read" is simply one
 * `#a = :a` per attribute, with no per-type fallback. The one limit that does bite is the
 * 4 KB cap on an expression string: an item with a few hundred attributes cannot be
 * compared whole. Such an item is reported (reason `conditionTooLong`) instead of written
 * under a weaker condition, because a weaker condition could lose a concurrent write.
 */
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';

/** DynamoDB's limit on the length of one expression string. */
export const MAX_EXPRESSION_LENGTH = 4096;

export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** Accumulates placeholders so several expressions of one request share them. */
export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  name(attribute: string): string {
    let id = this.nameIds.get(attribute);
    if (!id) {
      id = `#${this.nameIds.size}`;
      this.nameIds.set(attribute, id);
      this.names[id] = attribute;
    }
    return id;
  }

  value(v: AttributeValue): string {
    const id = `:${this.valueCount++}`;
    this.values[id] = v;
    return id;
  }

  /** ExpressionAttributeValues must be omitted, not empty, when no value is used. */
  valuesOrUndefined(): Record<string, AttributeValue> | undefined {
    return this.valueCount ? this.values : undefined;
  }
}

/**
 * The item still holds exactly the values read for `attributes` (attribute_not_exists for
 * those absent then), and exists (`attribute_exists` on the hash key).
 */
export function unchangedCondition(read: Item, attributes: readonly string[], hashKey: string, p: Placeholders): string {
  const clauses = [`attribute_exists(${p.name(hashKey)})`];
  for (const attribute of attributes) {
    const value = read[attribute];
    clauses.push(value === undefined ? `attribute_not_exists(${p.name(attribute)})` : `${p.name(attribute)} = ${p.value(value)}`);
  }
  return clauses.join(' AND ');
}

/** Every non-key attribute of the item as read is unchanged (the key is the request's Key). */
export function wholeItemUnchangedCondition(read: Item, keyAttributes: readonly string[], hashKey: string, p: Placeholders): string {
  const others = Object.keys(read).filter((name) => !keyAttributes.includes(name));
  return unchangedCondition(read, others, hashKey, p);
}

/** SET the changed top-level attributes, REMOVE the removed ones. */
export function updateExpression(next: Item, set: readonly string[], removed: readonly string[], p: Placeholders): string {
  const parts: string[] = [];
  if (set.length) parts.push(`SET ${set.map((a) => `${p.name(a)} = ${p.value(next[a])}`).join(', ')}`);
  if (removed.length) parts.push(`REMOVE ${removed.map((a) => p.name(a)).join(', ')}`);
  return parts.join(' ');
}

export const fitsExpressionLimit = (...expressions: string[]): boolean => expressions.every((e) => e.length <= MAX_EXPRESSION_LENGTH);
