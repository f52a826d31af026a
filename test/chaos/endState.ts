/**
 * The chaos run's end state against the clean run's, leaving out exactly the keys the live
 * writer wrote (and, for items it made move or conflict, their old keys): everything else
 * must be identical, item for item and object for object.
 */
import { BUCKET_KEYS, TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import { snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { keyTextOfItem } from './writer';

export interface Exclusions {
  items: ReadonlyMap<TableKey, ReadonlySet<string>>;
  /** Consolidation-bucket keys. */
  consolidationObjects: ReadonlySet<string>;
}

export function withoutWriterKeys(snapshot: DeploymentSnapshot, exclusions: Exclusions): DeploymentSnapshot {
  const tables = { ...snapshot.tables };
  for (const table of TABLE_KEYS) {
    const keys = exclusions.items.get(table);
    if (keys && keys.size > 0) tables[table] = (snapshot.tables[table] ?? []).filter((text) => !keys.has(keyTextOfItem(table, JSON.parse(text) as Item)));
  }
  const buckets = { ...snapshot.buckets };
  for (const bucket of BUCKET_KEYS) {
    if (bucket !== 'S3_CONSOLIDATION_BUCKET_NAME') continue;
    buckets[bucket] = Object.fromEntries(Object.entries(snapshot.buckets[bucket] ?? {}).filter(([key]) => !exclusions.consolidationObjects.has(key)));
  }
  return { tables, buckets };
}

/** The differences, and their count (items and objects added or removed). */
export function endStateDifference(clean: DeploymentSnapshot, chaos: DeploymentSnapshot, exclusions: Exclusions): { count: number; diff: Record<string, { added: string[]; removed: string[] }> } {
  const diff = snapshotDiff(withoutWriterKeys(clean, exclusions), withoutWriterKeys(chaos, exclusions));
  const count = Object.values(diff).reduce((n, d) => n + d.added.length + d.removed.length, 0);
  return { count, diff };
}
