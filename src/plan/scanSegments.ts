/**
 * How many parallel segments scan a table (issue 9). Every Scan request reads its own part of
 * the table, but an emulator (moto) walks the whole table for each one, and every segment is an
 * activity with its own ledger chunks and history events. A segment pays for itself only once
 * the table is large enough that one reader would take long: below ITEMS_PER_SCAN_SEGMENT items
 * one segment reads it, and the operator's --scan-segments is the most a table gets.
 *
 * The count is DynamoDB's estimate (DescribeTable's ItemCount, refreshed about every six
 * hours): a table that grew since is scanned by fewer segments than it could be, never wrongly.
 * An unknown count gets the maximum.
 */
export const ITEMS_PER_SCAN_SEGMENT = 5_000;

export function scanSegmentsFor(maxSegments: number, itemCountEstimate: number | undefined): number {
  if (itemCountEstimate === undefined) return maxSegments;
  return Math.min(maxSegments, Math.max(1, Math.ceil(itemCountEstimate / ITEMS_PER_SCAN_SEGMENT)));
}
