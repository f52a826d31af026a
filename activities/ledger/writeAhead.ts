/**
 * The write-ahead discipline shared by the writers that record to the ledger (issue 12):
 * a page or chunk of intended writes goes to the ledger as one chunk before any of them is
 * made (`foresee`), and a write the chunk did not foresee (a retry after a concurrent change,
 * an overwrite) records itself just before it is made (`before`). Entries are deduplicated by
 * meaning within one activity attempt, so a write foreseen costs no request of its own.
 *
 * Without a sink (a dry run, a test, a workflow started without a run id) every call is a
 * no-op and costs nothing: callers need no branch of their own.
 */
import { entryFingerprint } from '../../src/ledger/plan';
import { itemEquals, type Item } from '../../src/dynamo/attributeValue';
import type { ItemEntry, LedgerEntry, LedgerSink } from '../../src/ledger/types';

export class WriteAhead {
  private readonly recorded = new Set<string>();
  /** A retried attempt's predecessors' writes (loaded on first use). */
  private earlier?: Promise<EarlierWrites>;

  constructor(private readonly sink: LedgerSink | undefined) {}

  /** Whether anything is recorded at all (callers skip the reads that only serve the ledger). */
  get active(): boolean {
    return this.sink !== undefined;
  }

  /** Records, as one chunk, the entries not recorded yet; resolves once they are durable. */
  async foresee(entries: readonly LedgerEntry[]): Promise<void> {
    if (!this.sink) return;
    const fresh: LedgerEntry[] = [];
    const prints = new Set<string>();
    for (const entry of entries) {
      const print = entryFingerprint(entry);
      if (this.recorded.has(print) || prints.has(print)) continue;
      fresh.push(entry);
      prints.add(print);
    }
    if (fresh.length === 0) return;
    await this.sink.record(fresh);
    // Only once durable: a failed chunk is recorded again by the write that needs it.
    for (const print of prints) this.recorded.add(print);
  }

  /** Records one entry just before its write, unless a chunk already holds it. */
  before(entry: LedgerEntry): Promise<void> {
    return this.foresee([entry]);
  }

  /**
   * On a retried attempt: whether a predecessor (killed, or failed after writing) put exactly
   * `item` at `key` of `table`, so the put this attempt finds already made is counted as the
   * plan counted it, not as unchanged: the predecessor's intent, given once per put. A first
   * attempt, or no ledger: undefined.
   */
  async earlierPut(table: string, key: Item, item: Item): Promise<ItemEntry | undefined> {
    const earlier = await this.earlierWrites();
    if (!earlier) return undefined;
    const identity = putIdentity(table, key);
    const entry = earlier.puts.get(identity);
    if (!entry || !itemEquals(entry.new, item)) return undefined;
    earlier.puts.delete(identity);
    return entry;
  }

  /**
   * On a retried attempt: whether a predecessor put an object of exactly this ETag at `key`
   * (an archive the run writes itself), given once per object, as earlierPut for items.
   */
  async earlierObject(bucket: string, key: string, etag: string): Promise<boolean> {
    const earlier = await this.earlierWrites();
    const identity = `${bucket}\n${key}`;
    if (earlier?.objects.get(identity) !== etag) return false;
    earlier.objects.delete(identity);
    return true;
  }

  /**
   * A retried attempt's predecessors' puts and objects, loaded on first use. Since the activity
   * was scheduled: a write is asked about only when this attempt meets it again, so intents
   * the checkpoint already counted are never asked about.
   */
  private earlierWrites(): Promise<EarlierWrites | undefined> {
    const earlier = this.sink?.earlierAttempts;
    if (!earlier) return Promise.resolve(undefined);
    this.earlier ??= earlier.call(this.sink, undefined).then(
      (entries) => ({
        puts: new Map(entries.filter((e): e is ItemEntry => e.kind === 'item' && !e.oldKey).map((e) => [putIdentity(e.table, e.newKey), e])),
        objects: new Map(entries.flatMap((e) => (e.kind === 'object' && !e.source && e.etag ? [[`${e.bucket}\n${e.key}`, e.etag] as const] : []))),
      }),
      (err: unknown) => {
        this.earlier = undefined;
        throw err;
      },
    );
    return this.earlier;
  }
}

interface EarlierWrites {
  puts: Map<string, ItemEntry>;
  /** Objects the run put itself (no copy source), by bucket and key: their ETag. */
  objects: Map<string, string>;
}

const putIdentity = (table: string, key: Item): string => `${table}\n${JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]))}`;
