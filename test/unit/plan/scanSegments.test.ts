import { ITEMS_PER_SCAN_SEGMENT, scanSegmentsFor } from '../../../src/plan/scanSegments';

describe('scanSegmentsFor', () => {
  it('gives a small or empty table one segment', () => {
    expect(scanSegmentsFor(4, 0)).toBe(1);
    expect(scanSegmentsFor(4, 1)).toBe(1);
    expect(scanSegmentsFor(4, ITEMS_PER_SCAN_SEGMENT)).toBe(1);
  });

  it('adds a segment per ITEMS_PER_SCAN_SEGMENT items, up to the maximum', () => {
    expect(scanSegmentsFor(4, ITEMS_PER_SCAN_SEGMENT + 1)).toBe(2);
    expect(scanSegmentsFor(4, 3 * ITEMS_PER_SCAN_SEGMENT)).toBe(3);
    expect(scanSegmentsFor(4, 100 * ITEMS_PER_SCAN_SEGMENT)).toBe(4);
    expect(scanSegmentsFor(1, 100 * ITEMS_PER_SCAN_SEGMENT)).toBe(1);
  });

  it('gives a table of unknown size the maximum', () => {
    expect(scanSegmentsFor(4, undefined)).toBe(4);
  });
});
