/**
 * `_fix_python_dict_strings_in_data`: inside lists, a string that
 * is a Python dict literal (written by an earlier bug with `str(dict)`) is replaced by the
 * dict it spells, recursively. Only string *elements of lists* are considered; a string
 * that does not parse, or parses to something other than a dict, is kept.
 *
 * The parser covers what `str(dict)` of JSON-like data produces (`ast.literal_eval` of
 * str/int/float/True/False/None/list/tuple/dict); anything else keeps the original string.
 */
import type { JsonNode } from './json';

export function fixPythonDictStrings(node: JsonNode): JsonNode {
  switch (node.t) {
    case 'obj':
      return { t: 'obj', entries: node.entries.map(([k, v]) => [k, fixPythonDictStrings(v)]) };
    case 'arr':
      return {
        t: 'arr',
        items: node.items.map((item) => {
          if (item.t === 'str' && looksLikePythonDict(item.v)) {
            const parsed = parsePythonLiteral(item.v.trim());
            if (parsed?.t === 'obj') return fixPythonDictStrings(parsed);
            return item;
          }
          return fixPythonDictStrings(item);
        }),
      };
    default:
      return node;
  }
}

function looksLikePythonDict(s: string): boolean {
  const t = s.trim();
  return t.startsWith("{'") && t.endsWith("'}") && t.includes("': ") && (t.match(/'/g) ?? []).length >= 4;
}

/** Parses a Python literal, or returns undefined when it is not one this parser supports. */
export function parsePythonLiteral(text: string): JsonNode | undefined {
  const p = new PyParser(text);
  try {
    p.ws();
    const node = p.value();
    p.ws();
    return p.i === text.length ? node : undefined;
  } catch {
    return undefined;
  }
}

class PyParser {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  value(): JsonNode {
    const c = this.s[this.i];
    if (c === '{') return this.dict();
    if (c === '[') return this.seq(']');
    if (c === '(') return this.seq(')');
    if (c === "'" || c === '"') return { t: 'str', v: this.str() };
    const num = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { t: 'num', text: num[0].replace(/^\+/, '').replace(/^(-?)\./, '$10.').replace(/\.(?=$|[eE])/, '') };
    }
    for (const [word, node] of [
      ['True', { t: 'bool', v: true }],
      ['False', { t: 'bool', v: false }],
      ['None', { t: 'null' }],
    ] as Array<[string, JsonNode]>) {
      if (this.s.startsWith(word, this.i) && !/[A-Za-z0-9_]/.test(this.s[this.i + word.length] ?? '')) {
        this.i += word.length;
        return node;
      }
    }
    throw new Error('unsupported');
  }

  dict(): JsonNode {
    this.i++;
    const entries: Array<[string, JsonNode]> = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return { t: 'obj', entries };
      }
      const key = this.value();
      if (key.t !== 'str') throw new Error('non-string key');
      this.ws();
      if (this.s[this.i++] !== ':') throw new Error("expected ':'");
      this.ws();
      const val = this.value();
      const at = entries.findIndex(([k]) => k === key.v);
      if (at >= 0) entries[at] = [key.v, val];
      else entries.push([key.v, val]);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error("expected ',' or '}'");
    }
  }

  seq(close: string): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return { t: 'arr', items };
      }
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new Error('expected separator');
    }
  }

  str(): string {
    const quote = this.s[this.i++];
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new Error('unterminated string');
      const c = this.s[this.i++];
      if (c === quote) return out;
      if (c === '\n') throw new Error('newline in string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', a: '\x07', v: '\x0b', '0': '\0', '\n': '' };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error('bad escape');
        this.i += len;
        out += String.fromCodePoint(parseInt(hex, 16));
      } else {
        // Python keeps unknown escapes verbatim.
        out += `\\${e}`;
      }
    }
  }
}
