/**
 * Artifacts: the user's ARTIFACTS row, read
 * by the old id, and the S3 objects its legacy keys name → `artifact-content` items. The
 * row and the objects stay as they are (the table rule re-points the row later; deleting
 * the objects is the approved cleanup's).
 */
import { convertArtifacts, isMigratedArtifactKey } from '../../src/uds';
import { listOfMaps, stringAttr } from '../../src/uds/conversionSupport';
import type { ConversionContext } from './conversionContext';

const SOURCE_TABLE = 'ARTIFACTS_DYNAMODB_TABLE';
const SOURCE_BUCKET = 'S3_ARTIFACTS_BUCKET';

export async function convertUserArtifacts(ctx: ConversionContext): Promise<void> {
  const rows = await ctx.queryAll(SOURCE_TABLE, 'user_id', ctx.user.oldId);
  for (const row of rows) {
    const owner = stringAttr(row, 'user_id') ?? '';
    const contents = new Map<string, string>();
    for (const entry of listOfMaps(row, 'artifacts')) {
      const key = stringAttr(entry, 'key');
      // Only the keys the conversion will look up: the owner's own legacy keys (others are reported by it).
      if (key === undefined || isMigratedArtifactKey(key) || !key.startsWith(`${owner}/`) || contents.has(key)) continue;
      const text = await ctx.readObject(SOURCE_BUCKET, key);
      if (text !== undefined) contents.set(key, text);
    }
    const result = convertArtifacts(row, contents, ctx.user.newId, ctx.ids);
    ctx.problems(result.problems, SOURCE_BUCKET);
    await ctx.foresee(result.items);
    await ctx.putAll(result.items.map((item) => ({ item, source: `${SOURCE_TABLE} ${owner}` })));
  }
}
