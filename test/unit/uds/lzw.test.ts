import { isLzwCompressedFormat, lzwCompress, lzwDecompressText, lzwUncompress, safeCompress } from '../../../src/uds/lzw';
import { canonicalNumber, parseJson, pythonFloatRepr, pythonJsonDumps, toAttributeValue } from '../../../src/uds/json';

// Vectors produced by pycommon/lzw.py's lzw_compress and json.dumps (Python 3).
const PY_JSON = '{"status": "ok", "steps": [1, 2.5, 1e-05, 1e+16, 10.0], "msg": "na\\u00efve \\u20ac", "n": null, "t": true}';
const PY_JSON_CODES = [
  123, 34, 115, 116, 97, 116, 117, 115, 34, 58, 32, 34, 111, 107, 34, 44, 266, 258, 101, 112, 263, 265, 91, 49, 271, 50, 46, 53, 271, 49, 101, 45,
  48, 283, 32, 285, 43, 49, 54, 284, 48, 46, 48, 93, 271, 34, 109, 115, 103, 264, 266, 110, 97, 92, 117, 48, 48, 101, 102, 118, 101, 32, 309, 50,
  48, 97, 99, 270, 306, 305, 110, 117, 108, 108, 300, 116, 305, 116, 114, 117, 101, 125,
];

describe('LZW codec (pycommon/lzw.py)', () => {
  it('matches the reference implementation on known vectors', () => {
    expect(lzwCompress('TOBEORNOTTOBEORTOBEORNOT')).toEqual([84, 79, 66, 69, 79, 82, 78, 79, 84, 256, 258, 260, 265, 259, 261, 263]);
    // Latin-1 characters stay single codes; above U+00FF they become "U+xxxx" text.
    expect(lzwCompress('café €')).toEqual([99, 97, 102, 233, 32, 85, 43, 50, 48, 97, 99]);
    expect(lzwCompress(PY_JSON)).toEqual(PY_JSON_CODES);
  });

  it('compresses the empty string to [] and decompresses [] to the empty string', () => {
    expect(lzwCompress('')).toEqual([]);
    expect(lzwDecompressText([])).toBe('');
  });

  it('round-trips ASCII, Latin-1, BMP non-ASCII and the KwKwK case', () => {
    for (const text of ['a', 'TOBEORNOTTOBEORTOBEORNOT', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'café €', 'Grüße, 日本語のテキスト – ok', '{"k": [1, 2, 3]}']) {
      expect(lzwDecompressText(lzwCompress(text))).toBe(text);
    }
  });

  it('keeps the service format limits: astral characters do not survive', () => {
    // "U+1f600" has 5 hex digits; the service decoder reads only 4 (documented, kept).
    expect(lzwDecompressText(lzwCompress('😀'))).toBe('\u1f600');
  });

  it('uncompresses to parsed JSON as the service does, and rejects bad codes', () => {
    expect(lzwUncompress(PY_JSON_CODES)).toEqual({ status: 'ok', steps: [1, 2.5, 1e-5, 1e16, 10], msg: 'naïve €', n: null, t: true });
    expect(() => lzwDecompressText([300])).toThrow('first code');
    expect(() => lzwDecompressText([65, 400])).toThrow('not in dictionary');
    expect(() => lzwUncompress(lzwCompress('not json'))).toThrow('Failed to parse JSON');
  });

  it('recognises the compressed format like is_lzw_compressed_format', () => {
    expect(isLzwCompressedFormat(PY_JSON_CODES)).toBe(true);
    expect(isLzwCompressedFormat([])).toBe(false);
    expect(isLzwCompressedFormat([256, 1])).toBe(false);
    expect(isLzwCompressedFormat([1, 2.5])).toBe(false);
    expect(isLzwCompressedFormat('abc')).toBe(false);
  });

  it('safeCompress compresses Python-style JSON only when it saves 20 %', () => {
    expect(safeCompress(parseJson('"' + 'x'.repeat(40) + '"'))).toEqual([34, 120, 257, 258, 259, 260, 261, 262, 263, 259, 34]);
    expect(safeCompress(parseJson('{"a": 1}'))).toBeUndefined();
  });
});

describe('JSON model', () => {
  it('serialises like Python json.dumps defaults', () => {
    const text = '{"status":"ok","steps":[1,2.5,0.00001,1E16,10.0],"msg":"naïve €","n":null,"t":true}';
    expect(pythonJsonDumps(parseJson(text))).toBe(PY_JSON);
    expect(pythonJsonDumps(parseJson('"😀\\u0001\\"\\\\"'))).toBe('"\\ud83d\\ude00\\u0001\\"\\\\"');
    expect(pythonJsonDumps(parseJson('{"a":1,"b":2,"a":3}'))).toBe('{"a": 3, "b": 2}');
  });

  it('formats floats like Python repr', () => {
    expect(['0.1', '1e22', '1e-7', '123456789012345678', '1.5e300', '-0.0', '100', '1e16', '1e15'].map(pythonFloatRepr)).toEqual([
      '0.1',
      '1e+22',
      '1e-07',
      '1.2345678901234568e+17',
      '1.5e+300',
      '-0.0',
      '100.0',
      '1e+16',
      '1000000000000000.0',
    ]);
  });

  it('stores numbers in the canonical form DynamoDB returns, keeping big integers exact', () => {
    expect(['1.50', '1e2', '-0', '0.00001', '12345678901234567890123', '-1.25E-3'].map(canonicalNumber)).toEqual([
      '1.5',
      '100',
      '0',
      '0.00001',
      '12345678901234567890123',
      '-0.00125',
    ]);
    expect(toAttributeValue(parseJson('{"big":12345678901234567890123,"f":2.50,"l":[true,null,"s"]}'))).toEqual({
      M: { big: { N: '12345678901234567890123' }, f: { N: '2.5' }, l: { L: [{ BOOL: true }, { NULL: true }, { S: 's' }] } },
    });
  });
});
