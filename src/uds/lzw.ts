/**
 * The LZW codec of `pycommon/lzw.py`, which the services use for scheduled-task logs and
 * compressed artifact contents. Interoperable code for code:
 *
 * - the dictionary starts as the 256 characters U+0000..U+00FF (codes 0..255), the next
 *   code is 256, codes grow without a width limit and without dictionary resets;
 * - before compressing, every character above U+00FF becomes the literal text `U+` and
 *   at least 4 lowercase hex digits (`é` stays, `€` becomes `U+20ac`);
 * - the output is a plain list of integers (stored in DynamoDB as a list of Numbers),
 *   `[]` for the empty string;
 * - decompressing turns every `U+XXXX` (exactly 4 hex digits, any case) back into its
 *   character, then the service `json.loads` the text.
 *
 * Two properties of the service format are kept on purpose, since the service reads it:
 * literal text that looks like `U+20ac` in the input decodes to `€`, and characters above
 * U+FFFF (written with 5 or 6 hex digits) do not survive the round trip. Compressing the
 * `ensure_ascii` JSON of a value, as safeCompress does, never hits either case.
 */
import { type JsonNode, pythonJsonDumps } from './json';

export function lzwCompress(input: string): number[] {
  if (input === '') return [];
  const dictionary = new Map<string, number>();
  for (let i = 0; i < 256; i++) dictionary.set(String.fromCharCode(i), i);
  let nextCode = 256;
  const out: number[] = [];
  let current = '';
  // Python iterates code points; `for...of` does the same for astral characters.
  for (const ch of input) {
    const code = ch.codePointAt(0) as number;
    const piece = code > 255 ? `U+${code.toString(16).padStart(4, '0')}` : ch;
    for (const c of piece) {
      const candidate = current + c;
      if (dictionary.has(candidate)) {
        current = candidate;
      } else {
        out.push(dictionary.get(current) as number);
        dictionary.set(candidate, nextCode++);
        current = c;
      }
    }
  }
  out.push(dictionary.get(current) as number);
  return out;
}

export class LzwFormatError extends Error {}

/** The decompressed text, after the `U+XXXX` post-processing (before the service's json.loads). */
export function lzwDecompressText(codes: readonly number[]): string {
  if (codes.length === 0) return '';
  const dictionary = new Map<number, string>();
  for (let i = 0; i < 256; i++) dictionary.set(i, String.fromCharCode(i));
  let previous = dictionary.get(codes[0]);
  if (previous === undefined) throw new LzwFormatError('first code not in the initial dictionary');
  const parts: string[] = [previous];
  let nextCode = 256;
  for (const code of codes.slice(1)) {
    let entry = dictionary.get(code);
    if (entry === undefined) {
      if (code !== nextCode) throw new LzwFormatError(`code ${code} not in dictionary`);
      entry = previous + previous[0];
    }
    parts.push(entry);
    dictionary.set(nextCode++, previous + entry[0]);
    previous = entry;
  }
  return parts.join('').replace(/U\+([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `lzw_uncompress`: decompress, then parse the text as JSON like the service does. */
export function lzwUncompress(codes: readonly number[]): unknown {
  if (codes.length === 0) return '';
  const text = lzwDecompressText(codes);
  try {
    return JSON.parse(text);
  } catch {
    throw new LzwFormatError('Failed to parse JSON from decompressed string');
  }
}

/** `is_lzw_compressed_format`: the heuristic the services use to decide whether to decompress. */
export function isLzwCompressedFormat(data: unknown): boolean {
  if (!Array.isArray(data) || data.length === 0) return false;
  if (!data.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return false;
  if (data[0] > 255) return false;
  const maxExpected = 256 + data.length * 50;
  return data.every((x: number) => x <= maxExpected);
}

/**
 * `safe_compress` for a JSON value: the codes of its Python-style JSON text when they are
 * fewer than 80 % of the text's length, else undefined (the caller keeps the value as is).
 *
 * Deliberate difference: the service compresses a bare string value raw, which its own
 * reader cannot decompress (it json.loads the text). Here every value, strings included,
 * is compressed as its JSON text, so whatever we write reads back.
 */
export function safeCompress(value: JsonNode): number[] | undefined {
  const text = pythonJsonDumps(value);
  const codes = lzwCompress(text);
  return codes.length < text.length * 0.8 ? codes : undefined;
}
