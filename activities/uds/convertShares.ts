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
    for (const item of settings.items) await ctx.put(item, rowLabel);

    ctx.problems(shares.problems, SOURCE_TABLE);
    if (shares.items.length === 0) continue;
    existing ??= await existingSharePaths(ctx);
    const entries = listOfMaps(row, 'data');
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
      if (!(await shareObjectReady(ctx, key, legacyKey))) {
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

/** Counted as one object check on the consolidation bucket, whichever buckets it asks, so a dry run counts as a real run does. */
async function shareObjectReady(ctx: ConversionContext, key: string, legacyKey: string): Promise<boolean> {
  ctx.tally.bucket(CONSOLIDATION).objectsListed++;
  const consolidation = ctx.deployment.buckets[CONSOLIDATION];
  if (await objectExists(ctx.clients, consolidation, key, ctx.abortSignal)) return true;
  if (!ctx.input.dryRun) return false;
  // Where the S3 step would copy it from: the legacy bucket, or a consolidated key under the old ids.
  return legacyKey.startsWith(SHARES_PREFIX)
    ? objectExists(ctx.clients, consolidation, legacyKey, ctx.abortSignal)
    : objectExists(ctx.clients, ctx.deployment.buckets[LEGACY_SHARES], legacyKey, ctx.abortSignal);
}
