import { readLocalVariables } from '../../../src/ssm';
import { serviceText } from './fixture';

function values(text: string): Array<[string, string]> {
  return readLocalVariables(text).map((v) => [v.name, v.reading.kind === 'value' ? v.reading.value : `<${v.reading.kind}>`]);
}

describe('the Locally Defined Variables section', () => {
  it('starts at the marker at any indentation and ends at the Imported marker', () => {
    const text = serviceText(
      '  environment:',
      '    BEFORE: x',
      '  # Locally Defined Variables',
      '    A: a',
      '    B: b',
      '  # Imported Variables from Parameter Store',
      '    AFTER: y',
    );
    expect(values(text)).toEqual([
      ['A', 'a'],
      ['B', 'b'],
    ]);
  });

  it.each([
    ['a comment containing Variables', '    # Data Disclosure Variables (optional)'],
    ['a bare #', '    #'],
    ['the word inside stageVariables', '    # X: ${self:custom.stageVariables.Y}'],
    ['the marker without its space', '    #Locally Defined Variables'],
  ])('ends at %s', (_label, terminator) => {
    const text = serviceText('    # Locally Defined Variables', '    A: a', terminator, '    B: b');
    expect(values(text)).toEqual([['A', 'a']]);
  });

  it('skips other comments without ending the section', () => {
    const text = serviceText('    # Locally Defined Variables', '    A: a', '    # a note', '    # Marked for future deletion', '    B: b');
    expect(values(text)).toEqual([
      ['A', 'a'],
      ['B', 'b'],
    ]);
  });

  it('ends an unterminated section at the first dedent instead of capturing the iam block', () => {
    const text = serviceText(
      '  environment:',
      '    # Locally Defined Variables',
      '    A: a',
      '  iam:',
      '    role:',
      '      managedPolicies:',
      '        - arn:aws:iam::aws:policy/ReadOnlyAccess',
    );
    expect(values(text)).toEqual([['A', 'a']]);
  });

  it('ends the section at a line indented less than 4 columns (the legacy skipped it and kept capturing)', () => {
    const text = serviceText('  # Locally Defined Variables', '  A: a', '    B: b');
    expect(values(text)).toEqual([]);
  });

  it('reads a tab-indented variable', () => {
    const text = serviceText('    # Locally Defined Variables', '\tA: a', '    B: b');
    expect(values(text)).toEqual([
      ['A', 'a'],
      ['B', 'b'],
    ]);
  });

  it('merges several sections in file order', () => {
    const text = serviceText('    # Locally Defined Variables', '    A: a', '    # Imported Variables', '    X: x', '      # Locally Defined Variables', '      B: b');
    expect(values(text)).toEqual([
      ['A', 'a'],
      ['B', 'b'],
    ]);
  });

  it('reads values as YAML scalars: quotes removed, comments only after a space', () => {
    const text = serviceText(
      '    # Locally Defined Variables',
      '    DOUBLE: "x y"',
      "    SINGLE: 'a # b'",
      '    TRAILING: value #Marked for future deletion',
      '    FRAGMENT: https://x.test/a#frag',
      '    COLONS: a:b:c',
      '    BOOL: True',
      '    NUMBER: 0755',
      '    EMPTY:',
      '    LIST:',
      '      - one',
      '    TAG: !Ref Topic',
      '    FOLDED: >-',
      '      folded',
      '      text',
    );
    expect(values(text)).toEqual([
      ['DOUBLE', 'x y'],
      ['SINGLE', 'a # b'],
      ['TRAILING', 'value'],
      ['FRAGMENT', 'https://x.test/a#frag'],
      ['COLONS', 'a:b:c'],
      ['BOOL', 'true'],
      ['NUMBER', '0755'],
      ['EMPTY', '<empty>'],
      ['LIST', '<not-scalar>'],
      ['TAG', '<tag>'],
      ['FOLDED', 'folded text'],
    ]);
  });

  it('reports a line YAML cannot read, with its line number', () => {
    const text = serviceText('    # Locally Defined Variables', '    BAD: a: b', '    GOOD: g');
    const read = readLocalVariables(text);
    expect(read.map((v) => [v.name, v.line, v.reading.kind])).toEqual([
      ['BAD', 2, 'invalid'],
      ['GOOD', 3, 'value'],
    ]);
  });

  it('handles CRLF line endings', () => {
    expect(values('    # Locally Defined Variables\r\n    A: a\r\n    # Imported Variables\r\n')).toEqual([['A', 'a']]);
  });
});
