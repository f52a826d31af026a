import { decodeIdMapCsv, IdMapError, parseIdMapCsv, serializeIdMapCsv } from '../../../src/idmap/csv';

const FILE = 'users.csv';
const parse = (text: string, allowChains = false) => parseIdMapCsv(text, { file: FILE, allowChains });

function errorOf(text: string, allowChains = false): IdMapError {
  try {
    parse(text, allowChains);
  } catch (error) {
    if (error instanceof IdMapError) return error;
    throw error;
  }
  throw new Error('expected an IdMapError');
}

describe('parseIdMapCsv: valid files', () => {
  it('reads pairs in file order, values exactly as written', () => {
    expect(parse('old_id,new_id\nbob@x.com,11-22\nZoë+1@x.com,a b c\ndept/carol,dept/carol\n')).toEqual([
      { oldId: 'bob@x.com', newId: '11-22' },
      { oldId: 'Zoë+1@x.com', newId: 'a b c' },
      { oldId: 'dept/carol', newId: 'dept/carol' },
    ]);
  });

  it('accepts a UTF-8 BOM and CRLF line endings', () => {
    expect(parse('\uFEFFold_id,new_id\r\na@x.com,1\r\nb@x.com,2\r\n')).toEqual([
      { oldId: 'a@x.com', newId: '1' },
      { oldId: 'b@x.com', newId: '2' },
    ]);
  });

  it('accepts the columns in any order', () => {
    expect(parse('new_id,old_id\n1,a@x.com\n')).toEqual([{ oldId: 'a@x.com', newId: '1' }]);
  });

  it('ignores extra named columns only when asked, with a warning naming them', () => {
    const warnings: string[] = [];
    expect(parseIdMapCsv('email,new_id,old_id\nx,1,a@x.com\n', { file: FILE, ignoreExtraColumns: true, onWarning: (w) => warnings.push(w) })).toEqual([
      { oldId: 'a@x.com', newId: '1' },
    ]);
    expect(warnings).toEqual(['users.csv line 1: ignoring column(s) "email" (--ignore-extra-columns)']);
  });

  it('accepts old ids containing "/" or "#" (legacy data), which are matched as whole segments', () => {
    expect(parse('old_id,new_id\ndept/alice,11\nteam#bob,22\n')).toEqual([
      { oldId: 'dept/alice', newId: '11' },
      { oldId: 'team#bob', newId: '22' },
    ]);
  });

  it('accepts same-id rows (scenario B) without calling them chains', () => {
    expect(parse('old_id,new_id\na,a\nb,b\n')).toEqual([
      { oldId: 'a', newId: 'a' },
      { oldId: 'b', newId: 'b' },
    ]);
  });

  it('skips blank lines and reads quoted values with commas and quotes', () => {
    expect(parse('old_id,new_id\n\n"a,b",1\n"say ""hi""",2\n\n')).toEqual([
      { oldId: 'a,b', newId: '1' },
      { oldId: 'say "hi"', newId: '2' },
    ]);
  });

  it('accepts chains and swaps when allowChains is set', () => {
    expect(parse('old_id,new_id\na,b\nb,a\n', true)).toEqual([
      { oldId: 'a', newId: 'b' },
      { oldId: 'b', newId: 'a' },
    ]);
  });
});

describe('parseIdMapCsv: errors name the file, the line and the value', () => {
  it('empty file', () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      const error = errorOf(text);
      expect(error.file).toBe(FILE);
      expect(error.message).toBe('users.csv: empty file: expected the header "old_id,new_id"');
    }
  });

  it('header without rows', () => {
    const error = errorOf('old_id,new_id\n');
    expect(error.line).toBe(1);
    expect(error.message).toBe('users.csv line 1: the header has no rows after it: the id map is empty');
  });

  it('wrong header: case, spaces, missing or repeated column', () => {
    for (const header of ['Old_id,new_id', 'old_id, new_id', 'old_id', 'old_id,new_id,old_id', 'a,b']) {
      const error = errorOf(`${header}\nx,y\n`);
      expect(error.line).toBe(1);
      expect(error.message).toContain(`users.csv line 1: wrong header ${JSON.stringify(header)}`);
    }
  });

  it('missing and extra columns in a row', () => {
    const missing = errorOf('old_id,new_id\na,1\nb\n');
    expect(missing.line).toBe(3);
    expect(missing.message).toBe('users.csv line 3: missing columns: 1 value(s) "b" where the header has 2');
    const extra = errorOf('old_id,new_id\na,1,zz\n');
    expect(extra.line).toBe(2);
    expect(extra.message).toBe('users.csv line 2: extra columns: 3 value(s) "a,1,zz" where the header has 2');
  });

  it('empty values', () => {
    expect(errorOf('old_id,new_id\na,1\n,2\n').message).toBe('users.csv line 3: empty old_id in row ",2"');
    expect(errorOf('old_id,new_id\na,\n').message).toBe('users.csv line 2: empty new_id in row "a,"');
  });

  it('surrounding whitespace is an error, never trimmed', () => {
    const error = errorOf('old_id,new_id\na,1\n bob@x.com,2\n');
    expect(error.line).toBe(3);
    expect(error.message).toBe(
      'users.csv line 3: old_id " bob@x.com" has leading or trailing whitespace (ids are never trimmed; fix the file)',
    );
    expect(errorOf('old_id,new_id\na,1\t\n').message).toContain('users.csv line 2: new_id "1\\t" has leading or trailing whitespace');
  });

  it('duplicate old_id names both lines', () => {
    const error = errorOf('old_id,new_id\na,1\nb,2\na,3\n');
    expect(error.line).toBe(4);
    expect(error.message).toBe('users.csv line 4: duplicate old_id "a": also on line 2');
  });

  it('duplicate new_id names both lines (also for a repeated identical row)', () => {
    expect(errorOf('old_id,new_id\na,1\nb,1\n').message).toBe('users.csv line 3: duplicate new_id "1": also on line 2');
    expect(errorOf('old_id,new_id\na,a\nb,a\n').message).toBe('users.csv line 3: duplicate new_id "a": also on line 2');
  });

  it('a chain names both rows', () => {
    const error = errorOf('old_id,new_id\na,b\nb,c\n');
    expect(error.line).toBe(2);
    expect(error.message).toBe(
      'users.csv line 2: new_id "b" is the old_id of line 3 ("b" → "c"): a chained or swapped mapping; pass the allow-chains option if this is intended',
    );
  });

  it('a swap names both rows', () => {
    expect(errorOf('old_id,new_id\nx,y\na,b\nb,a\n').message).toContain('users.csv line 3: new_id "b" is the old_id of line 4');
  });

  it('a user taking the id another row keeps is a chain', () => {
    expect(errorOf('old_id,new_id\nx,a\na,a\n').message).toContain('users.csv line 2: new_id "a" is the old_id of line 3');
  });

  it('counts lines of quoted values that span lines, and BOM/CRLF files', () => {
    // A value spanning lines is itself refused (control character), so the multi-line case is the error's own line.
    expect(errorOf('old_id,new_id\n"x",1\n"a",2\n"b\nc",3\n').message).toContain('users.csv line 4: old_id "b\\nc" contains the control character U+000A');
    expect(errorOf('old_id,new_id\n"x",1\na,1\n').message).toBe('users.csv line 3: duplicate new_id "1": also on line 2');
    expect(errorOf('\uFEFFold_id,new_id\r\na,1\r\n\r\nb,1\r\n').message).toBe(
      'users.csv line 4: duplicate new_id "1": also on line 2',
    );
  });

  it('malformed CSV', () => {
    const error = errorOf('old_id,new_id\n"a,1\n');
    expect(error.message).toMatch(/^users\.csv line 2: not valid CSV: /);
  });
});

describe('parseIdMapCsv: the rules every id follows (idRules.ts)', () => {
  it('an extra column is refused, naming it', () => {
    const error = errorOf('old_id,new_id,extra\na,1,z\n');
    expect(error.line).toBe(1);
    expect(error.message).toBe(
      'users.csv line 1: extra column(s) "extra" besides "old_id" and "new_id": remove them, or pass --ignore-extra-columns to read only those two',
    );
  });

  it('a new id containing "#" or "/" is refused; an unchanged id containing them is not', () => {
    expect(errorOf('old_id,new_id\na,1\nb@x.com,team#b\n').message).toBe(
      'users.csv line 3: new_id "team#b" contains "#": a new id must not contain "#" or "/", because the services read the user back as one segment of composite keys ({user}#…, {user}/…)',
    );
    expect(errorOf('old_id,new_id\nb@x.com,dept/b\n').message).toContain('users.csv line 2: new_id "dept/b" contains "/"');
    expect(parse('old_id,new_id\ndept/b,dept/b\n')).toEqual([{ oldId: 'dept/b', newId: 'dept/b' }]);
  });

  it('newline, NUL and other control characters are refused in either column', () => {
    expect(errorOf('old_id,new_id\n"a\nb",1\n').message).toBe(
      'users.csv line 2: old_id "a\\nb" contains the control character U+000A (line feed) at character 2: ids never contain NUL, line breaks or other control characters',
    );
    expect(errorOf('old_id,new_id\na,1\u0000\n').message).toContain('users.csv line 2: new_id "1\\u0000" contains the control character U+0000 (NUL) at character 2');
    expect(errorOf('old_id,new_id\na,x\u0007y\n').message).toContain('U+0007 at character 2');
  });

  it('an id over 2,048 bytes of UTF-8 is refused, shown by its start on one line', () => {
    const long = 'é'.repeat(1025); // 2,050 bytes
    const error = errorOf(`old_id,new_id\na@x.com,${long}\n`);
    expect(error.line).toBe(2);
    expect(error.message).toBe(
      `users.csv line 2: new_id ${JSON.stringify('é'.repeat(60))}… is 2,050 bytes of UTF-8: ids are at most 2,048 bytes (DynamoDB's key size limit)`,
    );
    expect(parse(`old_id,new_id\na@x.com,${'é'.repeat(1024)}\n`)).toHaveLength(1);
  });
});

describe('parseIdMapCsv: sameIdsOnly (--no-id-change with an existing file)', () => {
  it('refuses the first row that changes an id, naming the flag; accepts a file that keeps every id', () => {
    const options = { file: FILE, sameIdsOnly: '--no-id-change' };
    expect(() => parseIdMapCsv('old_id,new_id\na,a\nb,c\n', options)).toThrow(
      'users.csv line 3: changes "b" to "c", but --no-id-change keeps every id: the two conflict (drop --no-id-change to apply this file)',
    );
    expect(parseIdMapCsv('old_id,new_id\na,a\n', options)).toEqual([{ oldId: 'a', newId: 'a' }]);
  });
});

describe('decodeIdMapCsv', () => {
  it('returns UTF-8 text unchanged (the BOM is left for the parser)', () => {
    const text = '\uFEFFold_id,new_id\nzoë@x.com,1\n';
    expect(decodeIdMapCsv(Buffer.from(text, 'utf8'), FILE)).toBe(text);
  });

  it('names the line and byte of the first byte that is not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('old_id,new_id\na,1\nu-'), Buffer.from([0xff, 0xfe]), Buffer.from('bob,2\n')]);
    expect(() => decodeIdMapCsv(bytes, FILE)).toThrow('users.csv line 3: not UTF-8: byte 0xff at byte 3 of the line; save the file as UTF-8');
    // Latin-1 "ë", an overlong "/", a surrogate, and a sequence cut short by the end of the file
    expect(() => decodeIdMapCsv(Buffer.from([0x7a, 0x6f, 0xeb, 0x0a]), FILE)).toThrow('line 1: not UTF-8: byte 0xeb at byte 3');
    expect(() => decodeIdMapCsv(Buffer.from([0x61, 0x0a, 0xc0, 0xaf]), FILE)).toThrow('line 2: not UTF-8: byte 0xc0 at byte 1');
    expect(() => decodeIdMapCsv(Buffer.from([0x61, 0xed, 0xa0, 0x80]), FILE)).toThrow('line 1: not UTF-8: byte 0xed at byte 2');
    expect(() => decodeIdMapCsv(Buffer.from([0x61, 0xe2, 0x82]), FILE)).toThrow('line 1: not UTF-8: byte 0xe2 at byte 2');
  });
});

describe('serializeIdMapCsv', () => {
  it('writes the header and one row per pair, quoting only when needed, and round-trips', () => {
    const pairs = [
      { oldId: 'bob@x.com', newId: '11' },
      { oldId: 'a,b', newId: 'say "hi"' },
      { oldId: 'zoë+1@x.com', newId: 'dept-alice' },
    ];
    const text = serializeIdMapCsv(pairs);
    expect(text).toBe('old_id,new_id\nbob@x.com,11\n"a,b","say ""hi"""\nzoë+1@x.com,dept-alice\n');
    expect(parse(text)).toEqual(pairs);
  });
});
