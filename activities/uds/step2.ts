/**
 * USER_DATA_STORAGE Step 2: the old basic-ops user-storage table,
 * read live (one parallel-scan segment) or from its lossless export (segment 0 only),
 * translated with the full Step 1 rewrite, and put into USER_DATA_STORAGE conditionally:
 * absent → written, identical → unchanged, different → conflict (the legacy overwrote
 * newer items the new service had written). The old table is only read.
 */
import { DescribeTableCommand, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import type { SegmentInput } from '../contract';
import { cursorFromKey, keyFromCursor, type WireCursor } from '../dynamo/rewrite';
import type { Item } from '../../src/dynamo/attributeValue';
import { emptyTotals, type Totals } from '../../src/report/counters';
import { describeKey, translateOldUserStorageItem } from '../../src/uds';
import { WriteAhead } from '../ledger/writeAhead';
import { conditionalPutAll } from './conditionalPut';
import { foreseePuts } from './ledger';
import { exportBatches, parseExportLine, parseExportLocation } from './exportSource';
import { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE, loadIds, type RunOptions } from './options';
import { recordPut, Tally } from './tally';

const SOURCE_KEY = 'OLD_USER_STORAGE_TABLE';
const TARGET_KEY = 'USER_DATA_STORAGE_TABLE';

export type ImportOldUserStorageInput = SegmentInput & { exportLocation?: string };

/** The heartbeat of a Step 2 segment: where to resume, and the totals of the pages done. */
export interface Step2Progress {
  source: 'table' | 'export';
  /** Table: LastEvaluatedKey of the last page done. */
  cursor?: WireCursor;
  /** Export: lines before this one are done. */
  nextLine?: number;
  done: boolean;
  totals: Totals;
}

export async function tableExists(clients: AwsClients, table: string, abortSignal?: AbortSignal): Promise<boolean> {
  try {
    await clients.dynamo.send(new DescribeTableCommand({ TableName: table }), { abortSignal });
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}

export async function importOldUserStorageSegment(
  clients: AwsClients,
  input: ImportOldUserStorageInput,
  options: RunOptions<Step2Progress> = {},
): Promise<Totals> {
  const resumed = options.resumeFrom;
  if (resumed?.done) return resumed.totals;
  const oldTable = input.deployment.tables.OLD_USER_STORAGE_TABLE;
  const live = await tableExists(clients, oldTable, options.abortSignal);
  // The export is one file: one segment reads it, the others have nothing to do.
  if (!live && (!input.exportLocation || input.segment !== 0)) return emptyTotals();

  const ids = await loadIds(clients, input.idMapRef, options.idMapCache);
  const tally = new Tally(resumed?.totals);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const table = input.deployment.tables.USER_DATA_STORAGE_TABLE;
  const ledger = new WriteAhead(options.ledger);
  // A page of puts is foreseen in the ledger as one chunk before any of them is made (a dry
  // run only looks at what their keys hold, in one BatchGetItem per 100); the puts to keys
  // found free then go up to 100 to a transaction (conditionalPutAll).
  const importPage = async (oldItems: readonly Item[]): Promise<void> => {
    const translated = oldItems.map((oldItem) => ({ oldItem, item: translateOldUserStorageItem(oldItem, ids) }));
    const items = translated.map((t) => t.item);
    const seen = await foreseePuts(clients, ledger, table, items, input.onConflict, options.abortSignal, input.dryRun);
    const outcomes = await conditionalPutAll(clients, items, { table, dryRun: input.dryRun, onConflict: input.onConflict, seen, ledger, abortSignal: options.abortSignal, concurrency });
    translated.forEach(({ oldItem, item }, i) => {
      tally.table(SOURCE_KEY).itemsRead++;
      recordPut(tally, TARGET_KEY, outcomes[i], item, undefined, `${oldTable}: ${describeKey(oldItem)}`);
    });
  };
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  if (live) {
    let startKey = resumed?.cursor ? keyFromCursor(resumed.cursor) : undefined;
    do {
      const page = await clients.dynamo.send(
        new ScanCommand({
          TableName: oldTable,
          Segment: input.segment,
          TotalSegments: input.totalSegments,
          ExclusiveStartKey: startKey,
          Limit: pageSize,
          ConsistentRead: true,
        }),
        { abortSignal: options.abortSignal },
      );
      await importPage((page.Items ?? []) as Item[]);
      startKey = page.LastEvaluatedKey;
      const cursor = startKey ? cursorFromKey(startKey as unknown as Item) : undefined;
      options.onProgress?.({ source: 'table', cursor, done: !startKey, totals: tally.totals() });
    } while (startKey);
    return tally.totals();
  }

  const source = parseExportLocation(input.exportLocation!);
  for await (const batch of exportBatches(clients, source, resumed?.nextLine ?? 0, pageSize, options.abortSignal)) {
    const oldItems: Item[] = [];
    for (const line of batch.lines) {
      try {
        oldItems.push(parseExportLine(line.text));
      } catch (err) {
        tally.table(SOURCE_KEY).failures++;
        tally.problem({ kind: 'failure', where: SOURCE_KEY, source: `${input.exportLocation} line ${line.index + 1}`, reason: `malformed export line: ${(err as Error).message}` });
      }
    }
    await importPage(oldItems);
    options.onProgress?.({ source: 'export', nextLine: batch.nextIndex, done: false, totals: tally.totals() });
  }
  const totals = tally.totals();
  options.onProgress?.({ source: 'export', done: true, totals });
  return totals;
}

