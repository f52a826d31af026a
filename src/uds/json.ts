/**
 * A JSON value model that keeps number literals as text. Object contents loaded from S3
 * (artifacts, workflow templates, scheduled-task logs) go through it so that numbers keep
 * their full precision on the way into DynamoDB (a JS number would round big integers) and
 * so that the LZW input can be serialised exactly as Python's `json.dumps` does.
 */
import type { AttributeValue } from '../dynamo/attributeValue';

export type JsonNode =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  /** `text` is the literal as written in the source (`1`, `1.50`, `2e3`). */
  | { t: 'num'; text: string }
  | { t: 'arr'; items: JsonNode[] }
  /** Entry order is kept; a repeated key keeps its first position and its last value, as Python's json does. */
  | { t: 'obj'; entries: Array<[string, JsonNode]> };

export class JsonParseError extends Error {}

/** Parses JSON text (RFC 8259) without converting numbers. */
export function parseJson(text: string): JsonNode {
  const p = new Parser(text);
  p.ws();
  const node = p.value();
  p.ws();
  if (p.i !== text.length) p.fail('trailing characters');
  return node;
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new JsonParseError(`${msg} at offset ${this.i}`);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  value(): JsonNode {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { t: 'str', v: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
      ['null', { t: 'null' }],
    ] as Array<[string, JsonNode]>) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    return this.fail('unexpected character');
  }

  object(): JsonNode {
    this.i++;
    const entries: Array<[string, JsonNode]> = [];
    const index = new Map<string, number>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected object key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      const val = this.value();
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, entries.length);
        entries.push([key, val]);
      } else {
        entries[at] = [key, val];
      }
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return { t: 'obj', entries };
      }
      this.fail("expected ',' or '}'");
    }
  }

  array(): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'arr', items };
    }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return { t: 'arr', items };
      }
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.s.slice(this.i));
    if (!m) return this.fail('invalid string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  number(): JsonNode {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    return { t: 'num', text: m[0] };
  }
}

/** Builds a node from an already parsed JS value (numbers then carry JS precision only). */
export function fromPlain(value: unknown): JsonNode {
  if (value === null || value === undefined) return { t: 'null' };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'string') return { t: 'str', v: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new JsonParseError(`non-finite number ${value}`);
    return { t: 'num', text: String(value) };
  }
  if (typeof value === 'bigint') return { t: 'num', text: value.toString() };
  if (Array.isArray(value)) return { t: 'arr', items: value.map(fromPlain) };
  if (typeof value === 'object') {
    return { t: 'obj', entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)]) };
  }
  throw new JsonParseError(`unsupported value of type ${typeof value}`);
}

/** Object contents arrive either as the raw body text (preferred, exact) or as parsed JSON. */
export type LoadedContent = string | { parsed: unknown };

export function toJsonNode(content: LoadedContent): JsonNode {
  return typeof content === 'string' ? parseJson(content) : fromPlain(content.parsed);
}

export function objGet(node: JsonNode, key: string): JsonNode | undefined {
  return node.t === 'obj' ? node.entries.find(([k]) => k === key)?.[1] : undefined;
}

const isIntegerLiteral = (text: string): boolean => /^-?\d+$/.test(text);

/**
 * The canonical text DynamoDB stores for a number: plain decimal, no exponent, no
 * redundant zeros. Writing this form means an item read back compares equal to the one
 * we built, which the "absent or already identical" write condition relies on.
 */
export function canonicalNumber(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new JsonParseError(`invalid number ${text}`);
  const sign = m[1] === '-' ? '-' : '';
  let digits = m[2] + (m[3] ?? '');
  let pointAt = m[2].length + Number(m[4] ?? '0');
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  pointAt -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let intPart: string;
  let fracPart: string;
  if (pointAt <= 0) {
    intPart = '0';
    fracPart = '0'.repeat(-pointAt) + digits;
  } else if (pointAt >= digits.length) {
    intPart = digits + '0'.repeat(pointAt - digits.length);
    fracPart = '';
  } else {
    intPart = digits.slice(0, pointAt);
    fracPart = digits.slice(pointAt);
  }
  return sign + intPart + (fracPart ? `.${fracPart}` : '');
}

/** JSON → DynamoDB wire form, as boto3 stores a json.loads result (floats as Decimal). */
export function toAttributeValue(node: JsonNode): AttributeValue {
  switch (node.t) {
    case 'null':
      return { NULL: true };
    case 'bool':
      return { BOOL: node.v };
    case 'str':
      return { S: node.v };
    case 'num':
      return { N: canonicalNumber(isIntegerLiteral(node.text) ? node.text : pythonFloatRepr(node.text)) };
    case 'arr':
      return { L: node.items.map(toAttributeValue) };
    case 'obj':
      return { M: Object.fromEntries(node.entries.map(([k, v]) => [k, toAttributeValue(v)])) };
  }
}

/**
 * Python's `repr(float(text))`: shortest round-trip digits, scientific notation when the
 * exponent is below -4 or at least 16, otherwise fixed with at least one decimal.
 */
export function pythonFloatRepr(text: string): string {
  const x = Number(text);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length > exp + 1) {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  }
  return negative ? `-${out}` : out;
}

/**
 * Python's `json.dumps(json.loads(text))` with default arguments: `", "` and `": "`
 * separators and `ensure_ascii=True` (non-ASCII as `\uXXXX`, astral characters as
 * surrogate pairs). The LZW input must match it so our compressed logs equal the
 * service's for the same content.
 */
export function pythonJsonDumps(node: JsonNode): string {
  switch (node.t) {
    case 'null':
      return 'null';
    case 'bool':
      return node.v ? 'true' : 'false';
    case 'str':
      return pythonJsonString(node.v);
    case 'num':
      return isIntegerLiteral(node.text) ? BigInt(node.text).toString() : pythonFloatRepr(node.text);
    case 'arr':
      return `[${node.items.map(pythonJsonDumps).join(', ')}]`;
    case 'obj':
      return `{${node.entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function pythonJsonString(s: string): string {
  let out = '"';
  // UTF-16 code units, so astral characters come out as surrogate pairs like Python's.
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
