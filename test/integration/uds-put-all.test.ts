/**
 * conditionalPutAll on the moto server: the puts to keys found free go in one transaction; a
 * key taken after the look cancels the batch and the one-by-one way finds it; a batch whose
 * answer was lost after it applied counts its puts as written, as the plan counted them.
 */
import { PutItemCommand, TransactionCanceledException, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { createTable } from '../../client/seed/provision';
import type { AwsClients } from '../../activities/aws/clients';
import { conditionalPutAll } from '../../activities/uds/conditionalPut';
import { foreseePuts } from '../../activities/uds/ledger';
import { WriteAhead } from '../../activities/ledger/writeAhead';
import { buildDeployment } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import { scanAll } from '../support/emulator';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const item = (pk: string, sk: string, v = 'ours'): Item => ({ PK: { S: pk }, SK: { S: sk }, v: { S: v } });
const sdk = (i: Item) => i as unknown as Record<string, SdkAttributeValue>;
const byKey = (a: Item, b: Item) => JSON.stringify([a.PK, a.SK]).localeCompare(JSON.stringify([b.PK, b.SK]));

/** The client, with every command's name noted and `before` run before each is sent (a concurrent writer, a lost answer). */
function recording(before?: (name: string) => Promise<void>, after?: (name: string) => Promise<void>) {
  const sent: string[] = [];
  const dynamo = Object.create(clients.dynamo) as typeof clients.dynamo;
  dynamo.send = (async (command: { constructor: { name: string } }, options?: unknown) => {
    const name = command.constructor.name;
    sent.push(name);
    await before?.(name);
    const answer = await (clients.dynamo.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
    await after?.(name);
    return answer;
  }) as typeof clients.dynamo.send;
  return { clients: { ...clients, dynamo } as AwsClients, sent };
}

async function freshTable(): Promise<string> {
  const deployment = buildDeployment({ depName: uniqueDepName('putall'), stage: 'dev' });
  await createTable(clients, deployment, 'USER_DATA_STORAGE_TABLE');
  return deployment.tables.USER_DATA_STORAGE_TABLE;
}

async function putEach(c: AwsClients, table: string, items: Item[]) {
  // A ledger-less run does not look; the look here is a dry run's, which sees the same.
  const seen = await foreseePuts(clients, new WriteAhead(undefined), table, items, 'skip', undefined, true);
  return conditionalPutAll(c, items, { table, dryRun: false, onConflict: 'skip', seen });
}

it('puts to free keys go in one transaction; an identical item is unchanged and a different one a conflict, each by itself', async () => {
  const table = await freshTable();
  const theirs = item('u#b', '1', 'theirs');
  const same = item('u#c', '1');
  for (const existing of [theirs, same]) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: sdk(existing) }));
  const items = [item('u#a', '1'), item('u#a', '2'), item('u#b', '1'), same, item('u#d', '1')];
  const { clients: c, sent } = recording();

  expect(await putEach(c, table, items)).toEqual(['written', 'written', 'conflict', 'unchanged', 'written']);
  expect(sent).toEqual(['TransactWriteItemsCommand']);
  expect((await scanAll(clients, table)).sort(byKey)).toEqual([item('u#a', '1'), item('u#a', '2'), theirs, same, item('u#d', '1')].sort(byKey));
});

it('a key taken after the look cancels the batch; the one-by-one way writes the others and reports that key', async () => {
  const table = await freshTable();
  const items = [item('u#a', '1'), item('u#a', '2'), item('u#a', '3')];
  const taken = item('u#a', '2', 'the service, meanwhile');
  let raced = false;
  const { clients: c, sent } = recording(async (name) => {
    if (name !== 'TransactWriteItemsCommand' || raced) return;
    raced = true;
    await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: sdk(taken) }));
  });

  expect(await putEach(c, table, items)).toEqual(['written', 'conflict', 'written']);
  expect(sent.filter((name) => name !== 'GetItemCommand')).toEqual(['TransactWriteItemsCommand', 'PutItemCommand', 'PutItemCommand', 'PutItemCommand']);
  expect((await scanAll(clients, table)).sort(byKey)).toEqual([item('u#a', '1'), taken, item('u#a', '3')].sort(byKey));
});

it('a batch applied whose answer was lost (the SDK retry cancelled) counts its puts as written, not unchanged', async () => {
  const table = await freshTable();
  const items = [item('u#a', '1'), item('u#a', '2')];
  let lost = false;
  const { clients: c } = recording(undefined, async (name) => {
    if (name !== 'TransactWriteItemsCommand' || lost) return;
    lost = true;
    // The transaction applied; what comes back is the retry's cancellation, as after a 500.
    throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: { attempts: 2 }, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }] });
  });

  expect(await putEach(c, table, items)).toEqual(['written', 'written']);
  expect((await scanAll(clients, table)).sort(byKey)).toEqual(items.sort(byKey));
});

it('two puts of one key: the first goes in the batch, the second by itself finds it', async () => {
  const table = await freshTable();
  const items = [item('u#a', '1'), item('u#a', '2'), item('u#a', '1', 'again')];
  expect(await putEach(clients, table, items)).toEqual(['written', 'written', 'conflict']);
  expect((await scanAll(clients, table)).sort(byKey)).toEqual([item('u#a', '1'), item('u#a', '2')].sort(byKey));
});
