/**
 * Received shares and user settings: the
 * user's SHARES rows (GSI UserIndex, by the old id) → `received` share items and the
 * `user-settings` item. The rows stay (the table rule re-points them; deleting them is the
 * approved cleanup's).
 *
 * Pointers move after their data (docs/decisions/0002-pointers-move-after-their-data.md): a share
 * item is written only when the object its `data.key` names exists in the consolidation bucket
 * (copied and verified by the S3 step before this runs). A dry run, where nothing was copied,
 * accepts the legacy source object instead, so it counts what the real run would write.
 */
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';
import { convertReceivedShares, convertUserSettings, FAMILIES, sharePath, SHARES_PREFIX, udsPartitionKey } from '../../src/uds';
import { listOfMaps, stringAttr } from '../../src/uds/conversionSupport';
import { getItem } from './conditionalPut';
import type { ConversionContext } from './conversionContext';
import { listedPresence } from '../s3/destinationListing';
import { objectExists } from './objects';

const SOURCE_TABLE = 'SHARES_DYNAMODB_TABLE';
const CONSOLIDATION = 'S3_CONSOLIDATION_BUCKET_NAME';
const LEGACY_SHARES = 'S3_SHARE_BUCKET_NAME';

export async function convertUserShares(ctx: ConversionContext): Promise<void> {
  const listed = await ctx.queryAll(SOURCE_TABLE, 'user', ctx.user.oldId, 'UserIndex');
  // Share items already under the new id, by object path: the duplicate check (the SK of an
  // item written by the service or by the legacy migration is not ours).
  let existing: Map<string, string> | undefined;
  for (const found of listed) {
    // The index is eventually consistent: convert the row as it is now.
    const row = await getItem(ctx.clients, ctx.deployment.tables[SOURCE_TABLE], { id: found.id }, ctx.abortSignal);
    if (!row) continue;
    const rowLabel = `${SOURCE_TABLE} ${stringAttr(row, 'id') ?? ''}`;

    const settings = convertUserSettings(row, ctx.user.newId);
    ctx.problems(settings.problems, SOURCE_TABLE);
    const shares = convertReceivedShares(row, ctx.user.newId, ctx.ids);
    // The row's items in one ledger chunk, share items the checks below may skip included.
    await ctx.foresee([...settings.items, ...shares.items]);
    await ctx.putAll(settings.items.map((item) => ({ item, source: rowLabel })));

    ctx.problems(shares.problems, SOURCE_TABLE);
    if (shares.items.length === 0) continue;
    existing ??= await existingSharePaths(ctx);
    const entries = listOfMaps(row, 'data');
    const presence = await shareObjectsListed(ctx, shares.items.map(dataKey), shares.convertedEntries.map((e) => stringAttr(entries[e], 'key') ?? ''));
    for (const [i, item] of shares.items.entries()) {
      const key = dataKey(item);
      const path = sharePath(key);
      const sk = stringAttr(item, 'SK') as string;
      const already = existing.get(path);
      if (already !== undefined && already !== sk) {
        ctx.tally.table('USER_DATA_STORAGE_TABLE').itemsUnchanged++;
        continue;
      }
      const legacyKey = stringAttr(entries[shares.convertedEntries[i]], 'key') ?? '';
      if (!(await shareObjectReady(ctx, key, legacyKey, presence))) {
        ctx.tally.table('USER_DATA_STORAGE_TABLE').failures++;
        ctx.tally.problem({
          kind: 'failure',
          where: CONSOLIDATION,
          user: ctx.user.oldId,
          source: legacyKey,
          target: key,
          reason: 'the share object is not in the consolidation bucket (not copied yet, or missing): share item not written',
        });
        continue;
      }
      const outcome = await ctx.put(item, `${rowLabel} ${legacyKey}`);
      if (outcome === 'written' || outcome === 'overwritten' || outcome === 'unchanged') existing.set(path, sk);
    }
  }
}

function dataKey(item: Item): string {
  const data = item.data as { M: Record<string, AttributeValue> };
  return stringAttr(data.M, 'key') as string;
}

async function existingSharePaths(ctx: ConversionContext): Promise<Map<string, string>> {
  const pk = udsPartitionKey(ctx.user.newId, FAMILIES.receivedShares.app, FAMILIES.receivedShares.entityType);
  const items = await ctx.queryUds(pk);
  const paths = new Map<string, string>();
  for (const item of items) {
    const data = item.data;
    const key = data && 'M' in data ? stringAttr(data.M, 'key') : undefined;
    const sk = stringAttr(item, 'SK');
    if (key !== undefined && sk !== undefined && !paths.has(sharePath(key))) paths.set(sharePath(key), sk);
  }
  return paths;
}

/** Where a dry run looks for a share object the S3 step has not copied yet: the legacy bucket, or a consolidated key under the old ids. */
function legacyLocation(ctx: ConversionContext, legacyKey: string): string {
  return legacyKey.startsWith(SHARES_PREFIX) ? ctx.deployment.buckets[CONSOLIDATION] : ctx.deployment.buckets[LEGACY_SHARES];
}

/** What a share object check may already know: (bucket, key) → present, absent, or undefined (not listed). */
type ListedObjects = (bucket: string, key: string) => boolean | undefined;

/**
 * The row's share objects, each bucket's listed once under the keys' common prefix
 * (activities/s3/destinationListing.ts) instead of a HEAD per share. A key the listing did not
 * reach is HEADed as before. A dry run accepts the legacy object, which the real run copies
 * before this step: it lists the legacy locations first, and the consolidated keys only of the
 * shares whose legacy object it did not find (usually none: one listing, not two).
 */
async function shareObjectsListed(ctx: ConversionContext, keys: readonly string[], legacyKeys: readonly string[]): Promise<ListedObjects> {
  const listings: { bucket: string; seen: (key: string) => boolean | undefined }[] = [];
  const listed: ListedObjects = (bucket, key) => {
    let answer: boolean | undefined;
    for (const listing of listings) {
      if (listing.bucket !== bucket) continue;
      const seen = listing.seen(key);
      if (seen) return true;
      answer ??= seen;
    }
    return answer;
  };
  const listAll = async (wanted: readonly (readonly [bucket: string, key: string])[]) => {
    const byBucket = new Map<string, string[]>();
    for (const [bucket, key] of wanted) {
      const keys = byBucket.get(bucket);
      if (keys) keys.push(key);
      else byBucket.set(bucket, [key]);
    }
    for (const [bucket, bucketKeys] of byBucket) listings.push({ bucket, seen: await listedPresence(ctx.clients, bucket, bucketKeys, ctx.abortSignal) });
  };
  const consolidation = ctx.deployment.buckets[CONSOLIDATION];
  let consolidated = keys;
  if (ctx.input.dryRun) {
    const legacy = legacyKeys.map((key) => [legacyLocation(ctx, key), key] as const);
    await listAll(legacy);
    consolidated = keys.filter((_, i) => listed(...legacy[i]) !== true);
  }
  await listAll(consolidated.map((key) => [consolidation, key] as const));
  return listed;
}

/** Counted as one object check on the consolidation bucket, whichever buckets it asks, so a dry run counts as a real run does. */
async function shareObjectReady(ctx: ConversionContext, key: string, legacyKey: string, listed: ListedObjects): Promise<boolean> {
  ctx.tally.bucket(CONSOLIDATION).objectsListed++;
  const exists = async (bucket: string, objectKey: string) => listed(bucket, objectKey) ?? (await objectExists(ctx.clients, bucket, objectKey, ctx.abortSignal));
  // A dry run: the legacy object first, as it was listed first (either one will do).
  if (ctx.input.dryRun && (await exists(legacyLocation(ctx, legacyKey), legacyKey))) return true;
  return exists(ctx.deployment.buckets[CONSOLIDATION], key);
}
