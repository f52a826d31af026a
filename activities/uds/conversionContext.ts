/** What the four per-user conversions share: inputs, the id map, the tally, reads and the conditional put. */
import { QueryCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../aws/clients';
import type { WriteOptions } from '../contract';
import type { BucketKey, Deployment, TableKey } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { IdMap, IdPair } from '../../src/idmap/types';
import type { UserConversion } from '../../src/plan/steps';
import type { Problem as UdsProblem } from '../../src/uds';
import type { IdMapRef } from '../../workflows/types';
import { WriteAhead } from '../ledger/writeAhead';
import { conditionalPut, conditionalPutAll, type PutOutcome } from './conditionalPut';
import { foreseePuts, udsItemKey, type SeenAt } from './ledger';
import { readObjectText } from './objects';
import { recordPut, reportProblem, Tally } from './tally';

export type ConvertUserDataInput = WriteOptions & { deployment: Deployment; conversion: UserConversion; user: IdPair; idMapRef: IdMapRef };

export const UDS_TABLE_KEY: TableKey = 'USER_DATA_STORAGE_TABLE';

export class ConversionContext {
  readonly tally = new Tally();
  /** What the last `foresee` found at the keys it looked at. */
  private seen: SeenAt = () => undefined;

  constructor(
    readonly clients: AwsClients,
    readonly input: ConvertUserDataInput,
    readonly ids: IdMap,
    readonly abortSignal?: AbortSignal,
    /** Called after every object read and item write (the activity heartbeats, so cancellation reaches it). */
    private readonly onProgress?: () => void,
    /** The run's ledger (issue 12); a no-op without a sink. */
    readonly ledger: WriteAhead = new WriteAhead(undefined),
  ) {}

  /**
   * Records the items about to be put as one ledger chunk, before any of them is written
   * (write-ahead, issue 12). Foreseeing an item that then is not put (a filter, a conflict)
   * is harmless: its key does not hold it, so a revert finds nothing to undo there. A put not
   * foreseen records itself just before it is made. A dry run records nothing but looks at the
   * keys the same way (one BatchGetItem instead of a GetItem per put).
   */
  async foresee(items: readonly Item[]): Promise<void> {
    if (!this.input.dryRun && !this.ledger.active) return;
    const table = this.deployment.tables.USER_DATA_STORAGE_TABLE;
    this.seen = await foreseePuts(this.clients, this.ledger, table, items, this.input.onConflict, this.abortSignal, this.input.dryRun);
  }

  get deployment(): Deployment {
    return this.input.deployment;
  }

  get user(): IdPair {
    return this.input.user;
  }

  /** Every item of the table whose (index) hash key equals `value`, all pages; counted as read. */
  async queryAll(tableKey: TableKey, hashName: string, value: string, indexName?: string): Promise<Item[]> {
    const items = await this.query(this.deployment.tables[tableKey], hashName, value, indexName);
    this.tally.table(tableKey).itemsRead += items.length;
    return items;
  }

  /**
   * The user's rows an earlier run already moved to the new id (none when the id does not
   * change), not counted as read: a look for orphan detection, not work of this run. Callers
   * ask only when a listed object is not named by the rows under the old id, so a run without
   * orphan candidates sends no such query (issue 9: requests per user).
   */
  movedRows(tableKey: TableKey, hashName: string): Promise<Item[]> {
    if (this.user.newId === this.user.oldId) return Promise.resolve([]);
    return this.query(this.deployment.tables[tableKey], hashName, this.user.newId);
  }

  /** The USER_DATA_STORAGE items of one partition (an existence check: not counted). */
  queryUds(pk: string): Promise<Item[]> {
    return this.query(this.deployment.tables.USER_DATA_STORAGE_TABLE, 'PK', pk);
  }

  private async query(table: string, hashName: string, value: string, indexName?: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, SdkAttributeValue> | undefined;
    do {
      const page = await this.clients.dynamo.send(
        new QueryCommand({
          TableName: table,
          IndexName: indexName,
          KeyConditionExpression: '#h = :v',
          ExpressionAttributeNames: { '#h': hashName },
          ExpressionAttributeValues: { ':v': { S: value } },
          ExclusiveStartKey: startKey,
          // A GSI cannot be read consistently; the caller re-reads by primary key where it matters.
          ConsistentRead: indexName ? undefined : true,
        }),
        { abortSignal: this.abortSignal },
      );
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** An object's text, counted as read (objectsListed); a missing object is counted as a bucket failure. */
  async readObject(bucketKey: BucketKey, key: string): Promise<string | undefined> {
    const text = await readObjectText(this.clients, this.deployment.buckets[bucketKey], key, this.abortSignal);
    const counters = this.tally.bucket(bucketKey);
    counters.objectsListed++;
    if (text === undefined) counters.failures++;
    this.onProgress?.();
    return text;
  }

  /**
   * A USER_DATA_STORAGE item this attempt finds already there, left as it is: booked as
   * written when a killed predecessor of this attempt put exactly it (its ledger intent says
   * so: the plan's write), else as unchanged when `countUnchanged`, else not at all.
   */
  async foundInPlace(item: Item, options: { countUnchanged: boolean }): Promise<void> {
    const table = this.deployment.tables.USER_DATA_STORAGE_TABLE;
    if (await this.ledger.earlierPut(table, udsItemKey(item), item)) recordPut(this.tally, UDS_TABLE_KEY, 'written', item);
    else if (options.countUnchanged) recordPut(this.tally, UDS_TABLE_KEY, 'unchanged', item);
  }

  /** The conditional put of one USER_DATA_STORAGE item, booked; `source` names what it came from. */
  async put(item: Item, source: string, basedOn?: { item: Item | undefined }): Promise<PutOutcome> {
    const outcome = await conditionalPut(this.clients, item, {
      table: this.deployment.tables.USER_DATA_STORAGE_TABLE,
      dryRun: this.input.dryRun,
      onConflict: this.input.onConflict,
      basedOn,
      seen: this.seen(item),
      ledger: this.ledger,
      abortSignal: this.abortSignal,
    });
    // basisChanged is the caller's to retry; booked only if the caller gives up.
    if (outcome !== 'basisChanged') recordPut(this.tally, UDS_TABLE_KEY, outcome, item, this.user.oldId, source);
    this.onProgress?.();
    return outcome;
  }

  /**
   * The conditional puts of many USER_DATA_STORAGE items, each booked as `put` books it; those
   * whose keys the look before them (foresee) found free go up to 100 to a transaction.
   */
  async putAll(puts: readonly { item: Item; source: string }[]): Promise<PutOutcome[]> {
    const outcomes = await conditionalPutAll(
      this.clients,
      puts.map((p) => p.item),
      {
        table: this.deployment.tables.USER_DATA_STORAGE_TABLE,
        dryRun: this.input.dryRun,
        onConflict: this.input.onConflict,
        seen: this.seen,
        ledger: this.ledger,
        abortSignal: this.abortSignal,
      },
    );
    puts.forEach(({ item, source }, i) => {
      recordPut(this.tally, UDS_TABLE_KEY, outcomes[i], item, this.user.oldId, source);
      this.onProgress?.();
    });
    return outcomes;
  }

  /** The pure conversion's problems, booked against `where` (the source table or bucket). */
  problems(problems: readonly UdsProblem[], where: string): void {
    for (const problem of problems) {
      const reported = reportProblem(problem, where, this.user.oldId);
      if (reported) this.tally.problem(reported);
    }
  }
}
