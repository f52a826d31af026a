import { attributeEquals, type Item } from '../../../src/dynamo/attributeValue';
import { fromExportLine, toExportLine } from '../../../src/uds/exportLine';

describe('export lines (DynamoDB JSON)', () => {
  const item: Item = {
    PK: { S: 'bob#app#e' },
    n: { N: '12345678901234567890.50' },
    b: { B: new Uint8Array([0, 1, 254, 255]) },
    ss: { SS: ['a', 'ü'] },
    ns: { NS: ['1', '-2.5'] },
    bs: { BS: [new Uint8Array([1]), new Uint8Array([])] },
    m: { M: { nested: { L: [{ NULL: true }, { BOOL: false }, { M: {} }] } } },
    l: { L: [{ S: '' }, { N: '0' }] },
    nul: { NULL: true },
    t: { BOOL: true },
  };

  it('writes the AWS export form with binary as base64', () => {
    expect(toExportLine({ b: item.b, n: item.n })).toBe('{"Item":{"b":{"B":"AAH+/w=="},"n":{"N":"12345678901234567890.50"}}}');
  });

  it('round-trips every attribute type exactly', () => {
    const back = fromExportLine(toExportLine(item));
    expect(back).toEqual(item);
    expect(Object.keys(back)).toEqual(Object.keys(item));
    for (const k of Object.keys(item)) expect(attributeEquals(back[k], item[k])).toBe(true);
    expect(toExportLine(back)).toBe(toExportLine(item));
  });

  it('rejects malformed lines', () => {
    expect(() => fromExportLine('not json')).toThrow('not JSON');
    expect(() => fromExportLine('{"PK":{"S":"x"}}')).toThrow('expected {"Item"');
    expect(() => fromExportLine('{"Item":{"a":{"S":"x","N":"1"}}}')).toThrow('exactly one type tag');
    expect(() => fromExportLine('{"Item":{"a":{"N":1}}}')).toThrow('a: invalid N value');
    expect(() => fromExportLine('{"Item":{"a":{"X":"1"}}}')).toThrow('unknown type tag X');
    expect(() => fromExportLine('{"Item":{"a":{"B":"@@"}}}')).toThrow('invalid base64');
    expect(() => fromExportLine('{"Item":{"a":{"M":{"b":{"NULL":false}}}}}')).toThrow('a.b: invalid NULL value');
  });
});
