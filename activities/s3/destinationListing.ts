/**
 * Which of a set of keys exist, from one listing of their longest common prefix, where a HEAD
 * of each would cost a request per object (issue 9): a dry run's page of copy destinations
 * (the real copy learns a taken destination from its own condition, If-None-Match), and the
 * objects a conversion's share items point at.
 *
 * S3 lists keys in UTF-8 byte order, which is not JavaScript's string order for non-ASCII
 * keys, so coverage is decided on UTF-8 bytes. The prefix is cut on code points, never inside
 * a surrogate pair.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Deps } from './objects';

/** Listing pages a page of destinations may cost before the keys not yet covered get a HEAD each. */
const MAX_LISTING_PAGES = 2;

const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** The longest common prefix of the keys, whole code points only. */
export function commonPrefix(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let prefix = Array.from(keys[0]);
  for (const key of keys.slice(1)) {
    const points = Array.from(key);
    let n = 0;
    while (n < prefix.length && n < points.length && prefix[n] === points[n]) n++;
    prefix = prefix.slice(0, n);
  }
  return prefix.join('');
}

/**
 * What one listing of the keys' longest common prefix shows of each key: present (true),
 * absent (false), or not reached (undefined: the listing stopped after MAX_LISTING_PAGES
 * before it, and the caller HEADs it as before). Fewer than two keys: nothing is listed (a
 * HEAD costs the same as a listing), so every key is undefined.
 */
export async function listedPresence(deps: S3Deps, bucket: string, keys: readonly string[], abortSignal?: AbortSignal): Promise<(key: string) => boolean | undefined> {
  if (keys.length < 2) return () => undefined;
  const prefix = commonPrefix(keys);
  const present = new Set<string>();
  let continuationToken: string | undefined;
  let coveredUpTo: string | undefined;
  let complete = false;
  for (let page = 0; page < MAX_LISTING_PAGES; page++) {
    const listing = await deps.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: continuationToken }),
      { abortSignal },
    );
    for (const o of listing.Contents ?? []) if (o.Key !== undefined) present.add(o.Key);
    const last = listing.Contents?.[listing.Contents.length - 1]?.Key;
    if (last !== undefined) coveredUpTo = last;
    continuationToken = listing.NextContinuationToken;
    if (!listing.IsTruncated || !continuationToken) {
      complete = true;
      break;
    }
  }
  const covered = (key: string) => complete || (coveredUpTo !== undefined && utf8Compare(key, coveredUpTo) <= 0);
  return (key) => (present.has(key) ? true : covered(key) ? false : undefined);
}

/** The destination keys a listing shows to be free (./listedPresence); a key not in the result gets a HEAD. */
export async function freeDestinations(deps: S3Deps, bucket: string, keys: readonly string[], abortSignal?: AbortSignal): Promise<ReadonlySet<string>> {
  const seen = await listedPresence(deps, bucket, keys, abortSignal);
  return new Set(keys.filter((key) => seen(key) === false));
}
