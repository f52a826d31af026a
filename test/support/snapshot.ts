/**
 * Whole-deployment snapshots of the emulator (every table's items, every bucket's objects
 * with bytes, content type and metadata), so a test can assert "nothing was written" or
 * "nothing was deleted" exactly, and print which table or key differs when it fails.
 */
import { createHash } from 'node:crypto';
import type { AwsClients } from '../../activities/aws/clients';
import { BUCKET_KEYS, TABLE_KEYS, type BucketKey, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import { mapBounded } from './concurrency';
import { canonical, listKeys, readObject, scanAll } from './emulator';

export interface ObjectFingerprint {
  sha256: string;
  size: number;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface DeploymentSnapshot {
  /** Canonical item texts per table, sorted. */
  tables: Record<TableKey, string[]>;
  /** Key → fingerprint per bucket. */
  buckets: Record<BucketKey, Record<string, ObjectFingerprint>>;
}

export interface SnapshotOptions {
  /** Keys under these prefixes are left out (run artifacts: report, exports, the id map claim check). */
  ignorePrefixes?: readonly string[];
}

/** What every migration run writes besides the data: id map claim check, exports, reports. */
export const RUN_ARTIFACT_PREFIXES: readonly string[] = ['amplify-migrate/'];

export function fingerprint(body: Buffer, contentType?: string, metadata?: Record<string, string>): ObjectFingerprint {
  return { sha256: createHash('sha256').update(body).digest('hex'), size: body.length, contentType, metadata };
}

/** Requests a snapshot keeps in flight: the emulator serves one at a time, this hides the round trips. */
const SNAPSHOT_CONCURRENCY = 8;

export async function snapshotDeployment(clients: AwsClients, deployment: Deployment, options: SnapshotOptions = {}): Promise<DeploymentSnapshot> {
  const ignored = options.ignorePrefixes ?? [];
  const scanned = await mapBounded(TABLE_KEYS, SNAPSHOT_CONCURRENCY, async (table) => (await scanAll(clients, deployment.tables[table])).map(canonical).sort());
  const tables = Object.fromEntries(TABLE_KEYS.map((table, i) => [table, scanned[i]])) as Record<TableKey, string[]>;
  const listed = await mapBounded(BUCKET_KEYS, SNAPSHOT_CONCURRENCY, (bucket) => listKeys(clients, deployment.buckets[bucket]));
  const objects = BUCKET_KEYS.flatMap((bucket, i) => listed[i].filter((key) => !ignored.some((p) => key.startsWith(p))).map((key) => ({ bucket, key })));
  const prints = await mapBounded(objects, SNAPSHOT_CONCURRENCY, async ({ bucket, key }) => {
    const object = await readObject(clients, deployment.buckets[bucket], key);
    return object && fingerprint(object.body, object.contentType, object.metadata);
  });
  const buckets = Object.fromEntries(BUCKET_KEYS.map((bucket) => [bucket, {}])) as Record<BucketKey, Record<string, ObjectFingerprint>>;
  // In listing order (sorted keys) per bucket, as read one by one.
  objects.forEach(({ bucket, key }, i) => {
    const print = prints[i];
    if (print) buckets[bucket][key] = print;
  });
  return { tables, buckets };
}

/**
 * Per table and bucket, what changed between two snapshots (empty when identical), so a
 * failing `expect(diff).toEqual({})` names the exact items and keys.
 */
export function snapshotDiff(before: DeploymentSnapshot, after: DeploymentSnapshot): Record<string, { added: string[]; removed: string[] }> {
  const diff: Record<string, { added: string[]; removed: string[] }> = {};
  const record = (where: string, a: string[], b: string[]) => {
    const sa = new Set(a);
    const sb = new Set(b);
    const added = b.filter((x) => !sa.has(x));
    const removed = a.filter((x) => !sb.has(x));
    if (added.length > 0 || removed.length > 0) diff[where] = { added, removed };
  };
  for (const table of TABLE_KEYS) record(table, before.tables[table] ?? [], after.tables[table] ?? []);
  const objectLines = (objects: Record<string, ObjectFingerprint> = {}) => Object.entries(objects).map(([k, f]) => `${k} ${JSON.stringify(f)}`);
  for (const bucket of BUCKET_KEYS) record(bucket, objectLines(before.buckets[bucket]), objectLines(after.buckets[bucket]));
  return diff;
}

/** Objects of `before` that are gone or differ in `after` (a migration deletes and overwrites nothing). */
export function objectsLostOrChanged(before: DeploymentSnapshot, after: DeploymentSnapshot): string[] {
  const lost: string[] = [];
  for (const bucket of BUCKET_KEYS) {
    for (const [key, print] of Object.entries(before.buckets[bucket] ?? {})) {
      const now = after.buckets[bucket]?.[key];
      if (!now) lost.push(`${bucket} ${key}: deleted`);
      else if (JSON.stringify(now) !== JSON.stringify(print)) lost.push(`${bucket} ${key}: changed`);
    }
  }
  return lost;
}

/**
 * A snapshot with the deployment name replaced by `{dep}` (it appears in physical bucket
 * names inside pointers), so the end states of two deployments seeded from the same sample
 * options can be compared: a paused, restarted or continued-as-new run against a plain one.
 */
export function withoutDeploymentName(snapshot: DeploymentSnapshot, depName: string): DeploymentSnapshot {
  const replace = (text: string) => text.split(depName).join('{dep}');
  const tables = Object.fromEntries(Object.entries(snapshot.tables).map(([t, items]) => [t, items.map(replace).sort()])) as DeploymentSnapshot['tables'];
  const buckets = Object.fromEntries(
    Object.entries(snapshot.buckets).map(([b, objects]) => [b, Object.fromEntries(Object.entries(objects).map(([k, f]) => [replace(k), f]))]),
  ) as DeploymentSnapshot['buckets'];
  return { tables, buckets };
}

/** The end state of a migrated deployment, comparable across deployments (run artifacts left out). */
export async function comparableEndState(clients: AwsClients, deployment: Deployment): Promise<DeploymentSnapshot> {
  return withoutDeploymentName(await snapshotDeployment(clients, deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES }), deployment.depName);
}
