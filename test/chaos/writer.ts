/**
 * The live application, writing while the migration runs, through the services' own key
 * formats (DECISIONS.md §2). It writes straight to the emulator (the app does not go through
 * the worker's fault proxy) and records every write it made, so the end state can be checked
 * write by write. Tables and buckets, and why these:
 *
 * - USER_TAGS_DYNAMO_TABLE (key `user`, moves to the new id in scenario A): a migrated user
 *   adds a tag. The app updates the item where it is now: the old key while it is still
 *   there (`attribute_exists` condition), else the new one. The migration's move is
 *   conditional on the item being unchanged since read, so every added tag must end up in
 *   the item at the new key.
 * - FILES_DYNAMO_TABLE (key `id` = `{user}/{date}/{uuid}.json`, kept; `createdBy` rewritten
 *   in place): a migrated user renames one of their files (an in-place update racing the
 *   migration's conditional in-place update: the last name must survive), and uploads new
 *   files under the new id (must be left exactly as written).
 * - ACCOUNTS_DYNAMO_TABLE (key `user`, scenario A only): a few migrated users sign in under
 *   their new id before their data moved, and the app creates their accounts record at the
 *   new key. Written before the move, the migration must report a conflict and leave it;
 *   written after, it is the app's overwrite. Either way the app's item is what is there.
 * - The consolidation bucket, `conversations/{newId}/…` (the key the conversation service
 *   reads after the migration): new conversations, which must be left exactly as written.
 *
 * Left out on purpose: new writes under an OLD id after that user's pass (the old code still
 * running after cut-over). The migration has passed that user; what happens to such writes
 * is an operations question (run again, or the verification's old-ids-left count), not a
 * property this suite can assert item by item.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import { tableSchema, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';
import { createRandom, type Random, type SampleDeployment } from '../../src/seed';
import { canonical } from '../support/emulator';

export type WriteKind = 'tagAdded' | 'fileRenamed' | 'fileCreated' | 'accountAtNewKey' | 'objectCreated';

/** What must be at a key after the run, from the writer's own writes. */
type ItemExpectation =
  | { kind: 'exact'; item: Item }
  | { kind: 'tagsInclude'; tags: Set<string> }
  | { kind: 'name'; name: string };

interface ItemTarget {
  table: TableKey;
  /** The key the services read after the migration. */
  key: Item;
  expect: ItemExpectation;
}

export interface WriterSummary {
  writes: Record<WriteKind, number>;
  /** Writes the writer gave up on (the item was at neither key after three tries). */
  abandoned: number;
  errors: string[];
}

const KINDS: readonly WriteKind[] = ['tagAdded', 'fileRenamed', 'fileCreated', 'accountAtNewKey', 'objectCreated'];

export class LiveWriter {
  private stopped = false;
  private loop?: Promise<void>;
  private readonly rng: Random;
  private readonly items = new Map<string, ItemTarget>();
  private readonly objects = new Map<string, string>();
  /** Per table, key texts (see keyText) whose items differ from the clean run because of us. */
  private readonly touched = new Map<TableKey, Set<string>>();
  private readonly summary: WriterSummary = { writes: { tagAdded: 0, fileRenamed: 0, fileCreated: 0, accountAtNewKey: 0, objectCreated: 0 }, abandoned: 0, errors: [] };
  private readonly newIdOf: Map<string, string>;
  private readonly tagUsers: string[];
  private readonly files: { id: string; owner: string }[];
  private readonly accountUsers: string[];
  private counter = 0;

  constructor(
    private readonly clients: AwsClients,
    private readonly deployment: Deployment,
    sample: SampleDeployment,
    seed: number,
    conflicts = true,
    private readonly intervalMs = 150,
  ) {
    this.rng = createRandom(seed ^ 0x5eed);
    this.newIdOf = new Map(sample.users.map((u) => [u.oldId, u.newId]));
    const migrated = (owner: string | undefined): owner is string => owner !== undefined && this.newIdOf.has(owner);
    this.tagUsers = sample.items.filter((i) => i.table === 'USER_TAGS_DYNAMO_TABLE' && migrated(i.owner)).map((i) => i.owner as string);
    this.files = sample.items.flatMap((i) => (i.table === 'FILES_DYNAMO_TABLE' && migrated(i.owner) && 'S' in (i.item.id ?? {}) ? [{ id: (i.item.id as { S: string }).S, owner: i.owner }] : []));
    const changing = sample.users.filter((u) => u.oldId !== u.newId).map((u) => u.oldId);
    // A few users only: each written before its user's move is a conflict for the operator.
    this.accountUsers = !conflicts ? [] : pickMany(this.rng.fork('accounts'), changing, Math.ceil(changing.length / 10));
  }

  start(): void {
    this.loop = (async () => {
      const accounts = [...this.accountUsers];
      while (!this.stopped) {
        // Rare, at random points: some land before their user's move (a conflict), some after.
        const account = this.rng.chance(0.03) ? accounts.shift() : undefined;
        const kind = this.rng.pick(KINDS.filter((k) => k !== 'accountAtNewKey'));
        await this.guard(() => (account !== undefined ? this.accountAtNewKey(account) : this.write(kind)));
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<WriterSummary> {
    this.stopped = true;
    await this.loop;
    return { ...this.summary, writes: { ...this.summary.writes } };
  }

  get users(): { accounts: readonly string[] } {
    return { accounts: this.accountUsers };
  }

  /** Key texts per table whose items the end-state comparison must leave out. */
  touchedKeys(): ReadonlyMap<TableKey, ReadonlySet<string>> {
    return this.touched;
  }

  touchedObjects(): ReadonlySet<string> {
    return new Set(this.objects.keys());
  }

  /**
   * Every write checked against the emulator: the item or object is at the key the services
   * read after the migration, holding what the writer wrote. Returns one line per miss.
   */
  async check(): Promise<{ checked: number; missing: string[] }> {
    const missing: string[] = [];
    let checked = 0;
    for (const target of this.items.values()) {
      checked++;
      const out = await this.clients.dynamo.send(new GetItemCommand({ TableName: this.deployment.tables[target.table], Key: target.key, ConsistentRead: true }));
      const stored = out.Item as Item | undefined;
      const where = `${target.table} ${keyText(target.key)}`;
      if (!stored) {
        missing.push(`${where}: no item`);
        continue;
      }
      const e = target.expect;
      if (e.kind === 'exact' && canonical(stored) !== canonical(e.item)) missing.push(`${where}: holds ${canonical(stored)}, the app wrote ${canonical(e.item)}`);
      if (e.kind === 'name' && stringOf(stored.name) !== e.name) missing.push(`${where}: name ${JSON.stringify(stringOf(stored.name))}, the app renamed it to ${JSON.stringify(e.name)}`);
      if (e.kind === 'tagsInclude') {
        const tags = new Set(stored.tags && 'SS' in stored.tags ? stored.tags.SS : []);
        const lost = [...e.tags].filter((t) => !tags.has(t));
        if (lost.length > 0) missing.push(`${where}: tags added by the app lost: ${lost.join(', ')}`);
      }
    }
    const bucket = this.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    for (const [key, sha] of this.objects) {
      checked++;
      try {
        const out = await this.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = Buffer.from(await out.Body!.transformToByteArray());
        if (sha256(body) !== sha) missing.push(`${bucket} ${key}: content differs from the app's`);
      } catch (err) {
        missing.push(`${bucket} ${key}: ${(err as Error).name}`);
      }
    }
    return { checked, missing };
  }

  private async guard(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      // The emulator is reached directly, without faults: an error here is worth reading.
      this.summary.errors.push(`${(err as Error).name}: ${(err as Error).message}`);
    }
  }

  private write(kind: WriteKind): Promise<void> {
    switch (kind) {
      case 'tagAdded':
        return this.tagAdded();
      case 'fileRenamed':
        return this.fileRenamed();
      case 'fileCreated':
        return this.fileCreated();
      case 'objectCreated':
        return this.objectCreated();
      case 'accountAtNewKey':
        return Promise.resolve();
    }
  }

  private touch(table: TableKey, ...keys: Item[]): void {
    let set = this.touched.get(table);
    if (!set) this.touched.set(table, (set = new Set()));
    for (const key of keys) set.add(keyText(key));
  }

  private async tagAdded(): Promise<void> {
    if (this.tagUsers.length === 0) return;
    const oldId = this.rng.pick(this.tagUsers);
    const newId = this.newIdOf.get(oldId)!;
    const tag = `chaos-tag-${++this.counter}`;
    const table = this.deployment.tables.USER_TAGS_DYNAMO_TABLE;
    // The app's own update: wherever the user's item is right now, never creating one.
    for (let attempt = 0; attempt < 3; attempt++) {
      for (const id of oldId === newId ? [oldId] : [oldId, newId]) {
        try {
          await this.clients.dynamo.send(
            new UpdateItemCommand({
              TableName: table,
              Key: { user: { S: id } },
              UpdateExpression: 'ADD tags :t',
              ConditionExpression: 'attribute_exists(#u)',
              ExpressionAttributeNames: { '#u': 'user' },
              ExpressionAttributeValues: { ':t': { SS: [tag] } },
            }),
          );
          const key = { user: { S: newId } };
          const target = this.itemTarget('USER_TAGS_DYNAMO_TABLE', key, () => ({ kind: 'tagsInclude', tags: new Set() }));
          if (target.expect.kind === 'tagsInclude') target.expect.tags.add(tag);
          this.touch('USER_TAGS_DYNAMO_TABLE', { user: { S: oldId } }, key);
          this.summary.writes.tagAdded++;
          return;
        } catch (err) {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
        }
      }
    }
    this.summary.abandoned++;
  }

  private async fileRenamed(): Promise<void> {
    if (this.files.length === 0) return;
    const file = this.rng.pick(this.files);
    const name = `renamed ${++this.counter}.pdf`;
    const key = { id: { S: file.id } };
    try {
      await this.clients.dynamo.send(
        new UpdateItemCommand({
          TableName: this.deployment.tables.FILES_DYNAMO_TABLE,
          Key: key,
          UpdateExpression: 'SET #n = :n',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': { S: name } },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      this.summary.abandoned++;
      return;
    }
    this.itemTarget('FILES_DYNAMO_TABLE', key, () => ({ kind: 'name', name })).expect = { kind: 'name', name };
    this.touch('FILES_DYNAMO_TABLE', key);
    this.summary.writes.fileRenamed++;
  }

  private async fileCreated(): Promise<void> {
    if (this.newIdOf.size === 0) return;
    const newId = this.rng.pick([...this.newIdOf.values()]);
    const day = '2025-06-01';
    const id = `${newId}/${day}/${this.rng.uuid()}.json`;
    const at = `${day}T12:00:${String(++this.counter % 60).padStart(2, '0')}Z`;
    const item: Item = {
      id: { S: id },
      createdBy: { S: newId },
      updatedBy: { S: newId },
      createdAt: { S: at },
      updatedAt: { S: at },
      name: { S: `chaos upload ${this.counter}.md` },
      type: { S: 'text/markdown' },
      knowledgeBase: { S: 'default' },
      tags: { SS: ['chaos'] },
      totalTokens: { N: String(this.rng.between(10, 5000)) },
      totalItems: { N: '1' },
      data: { M: { pages: { N: '1' }, language: { S: 'en' } } },
    };
    await this.clients.dynamo.send(
      new PutItemCommand({ TableName: this.deployment.tables.FILES_DYNAMO_TABLE, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
    );
    this.itemTarget('FILES_DYNAMO_TABLE', { id: { S: id } }, () => ({ kind: 'exact', item }));
    this.touch('FILES_DYNAMO_TABLE', { id: { S: id } });
    this.summary.writes.fileCreated++;
  }

  private async accountAtNewKey(oldId: string): Promise<void> {
    const newId = this.newIdOf.get(oldId)!;
    const item: Item = {
      user: { S: newId },
      accounts: { L: [{ M: { id: { S: 'general_account' }, name: { S: 'General Account' }, isDefault: { BOOL: true }, rateLimit: { M: { period: { S: 'Unlimited' }, rate: { NULL: true } } } } }] },
      createdByChaosWriter: { BOOL: true },
    };
    // A plain put, as the service writes it: the app does not know a migration is running.
    await this.clients.dynamo.send(new PutItemCommand({ TableName: this.deployment.tables.ACCOUNTS_DYNAMO_TABLE, Item: item }));
    const key = { user: { S: newId } };
    this.itemTarget('ACCOUNTS_DYNAMO_TABLE', key, () => ({ kind: 'exact', item })).expect = { kind: 'exact', item };
    this.touch('ACCOUNTS_DYNAMO_TABLE', { user: { S: oldId } }, key);
    this.summary.writes.accountAtNewKey++;
  }

  private async objectCreated(): Promise<void> {
    if (this.newIdOf.size === 0) return;
    const newId = this.rng.pick([...this.newIdOf.values()]);
    const key = `conversations/${newId}/chaos-${this.rng.uuid()}.json`;
    const body = Buffer.from(JSON.stringify({ id: key, name: `chaos conversation ${++this.counter}`, messages: [{ role: 'user', content: 'hello' }] }));
    await this.clients.s3.send(new PutObjectCommand({ Bucket: this.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, Key: key, Body: body, ContentType: 'application/json' }));
    this.objects.set(key, sha256(body));
    this.summary.writes.objectCreated++;
  }

  private itemTarget(table: TableKey, key: Item, initial: () => ItemExpectation): ItemTarget {
    const id = `${table} ${keyText(key)}`;
    let target = this.items.get(id);
    if (!target) this.items.set(id, (target = { table, key, expect: initial() }));
    return target;
  }
}

/** A key's text: its key attributes' values in schema order (hash, then range). */
export function keyText(key: Item): string {
  return canonical(key);
}

/** The key of a full item of `table`, as keyText gives it. */
export function keyTextOfItem(table: TableKey, item: Item): string {
  const schema = tableSchema(table);
  const key: Record<string, AttributeValue> = {};
  for (const attribute of [schema.hash, schema.range]) if (attribute && item[attribute.name] !== undefined) key[attribute.name] = item[attribute.name];
  return keyText(key);
}

function pickMany<T>(rng: Random, values: readonly T[], count: number): T[] {
  const pool = [...values];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0]);
  return out;
}

function stringOf(value: AttributeValue | undefined): string | undefined {
  return value && 'S' in value ? value.S : undefined;
}

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
