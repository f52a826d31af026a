/**
 * The rewrite engine's side of the run's ledger (issue 12): every write is recorded before it
 * is made. A page's foreseeable writes go as one chunk; a write the chunk did not foresee (a
 * retry after a concurrent change, an overwrite with what it replaces) records itself first.
 * No sink (no ledger, or a dry run): nothing is recorded.
 */
import { itemEquals, itemSizeBytes, MAX_ITEM_BYTES, type Item } from '../../src/dynamo/attributeValue';
import { entryFingerprint } from '../../src/ledger/plan';
import type { ItemEntry, LedgerSink } from '../../src/ledger/types';

export class ItemLedger {
  private readonly recorded = new Set<string>();

  constructor(
    private readonly sink: LedgerSink | undefined,
    private readonly table: string,
    private readonly keyOf: (item: Item) => Item,
  ) {}

  /** Write-ahead for a page: the writes `rewrite` says its items need, as one chunk. */
  async recordPage(items: readonly Item[], rewrite: (item: Item) => Item): Promise<void> {
    if (!this.sink) return;
    const entries: ItemEntry[] = [];
    for (const item of items) {
      try {
        const next = rewrite(item);
        if (itemEquals(item, next) || itemSizeBytes(next) > MAX_ITEM_BYTES) continue;
        const entry = this.entry(item, next);
        const print = entryFingerprint(entry);
        if (!this.recorded.has(print)) entries.push(entry);
        this.recorded.add(print);
      } catch {
        // The same rewrite fails again when the item is processed, and is reported there.
      }
    }
    await this.sink.record(entries);
  }

  /** Records one write just before it is made, unless the page's chunk already holds it. */
  async recordWrite(current: Item, next: Item, replaced?: Item): Promise<void> {
    if (!this.sink) return;
    const entry = this.entry(current, next, replaced);
    const print = entryFingerprint(entry);
    if (this.recorded.has(print)) return;
    await this.sink.record([entry]);
    this.recorded.add(print);
  }

  private entry(current: Item, next: Item, replaced?: Item): ItemEntry {
    return { kind: 'item', table: this.table, oldKey: this.keyOf(current), old: current, newKey: this.keyOf(next), new: next, ...(replaced ? { replaced } : {}) };
  }
}
