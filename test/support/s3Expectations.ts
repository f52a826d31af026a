/** Which legacy seed objects must have a copy in the consolidation bucket, and where (src/s3layout with the whole map). */
import type { AwsClients } from '../../activities/aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import { createIdMap, type IdPair } from '../../src/idmap/types';
import { listingPrefix, S3_SOURCES } from '../../src/s3layout/sources';
import type { SeedObject } from '../../src/seed/types';
import { readObject } from './emulator';
import { fingerprint, type ObjectFingerprint } from './snapshot';

export interface ExpectedCopy {
  source: SeedObject;
  sourceName: string;
  destinationKey: string;
}

/**
 * Every seeded legacy object (outside the consolidation bucket) that an S3 source of the
 * layout maps to a destination. Objects of buckets that become USER_DATA_STORAGE items
 * (artifacts, templates, task logs) have no source and are not listed.
 */
export function expectedCopies(objects: readonly SeedObject[], pairs: readonly IdPair[]): ExpectedCopy[] {
  const ids = createIdMap([...pairs]);
  const out: ExpectedCopy[] = [];
  for (const object of objects) {
    if (object.bucket === 'S3_CONSOLIDATION_BUCKET_NAME') continue;
    for (const source of S3_SOURCES) {
      if (source.bucket !== object.bucket) continue;
      if (source.scope !== 'perUser' && !object.key.startsWith(listingPrefix(source, ''))) continue;
      const destinationKey = source.destinationKey(object.key, ids);
      if (destinationKey !== undefined) out.push({ source: object, sourceName: source.name, destinationKey });
    }
  }
  return out;
}

export function seedFingerprint(object: SeedObject): ObjectFingerprint {
  const body = typeof object.body === 'string' ? Buffer.from(object.body, 'utf8') : Buffer.from(object.body);
  return fingerprint(body, object.contentType, object.metadata ?? {});
}

/** The stored object's fingerprint, or 'missing'. */
export async function storedFingerprint(clients: AwsClients, bucket: string, key: string): Promise<ObjectFingerprint | 'missing'> {
  const object = await readObject(clients, bucket, key);
  return object ? fingerprint(object.body, object.contentType, object.metadata ?? {}) : 'missing';
}

/** Problems (empty when every expected copy exists with the source's bytes, content type and metadata). */
export async function copyProblems(clients: AwsClients, deployment: Deployment, copies: readonly ExpectedCopy[]): Promise<string[]> {
  const problems: string[] = [];
  const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
  for (const copy of copies) {
    const expected = seedFingerprint(copy.source);
    const copied = await storedFingerprint(clients, consolidation, copy.destinationKey);
    if (JSON.stringify(copied) !== JSON.stringify(expected)) {
      problems.push(`${copy.sourceName} ${copy.source.key} → ${copy.destinationKey}: ${JSON.stringify(copied)} (expected ${JSON.stringify(expected)})`);
    }
    const original = await storedFingerprint(clients, deployment.buckets[copy.source.bucket], copy.source.key);
    if (JSON.stringify(original) !== JSON.stringify(expected)) problems.push(`legacy ${copy.source.bucket} ${copy.source.key}: ${JSON.stringify(original)}`);
  }
  return problems;
}
