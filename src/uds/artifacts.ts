/**
 * Artifact contents (S3_ARTIFACTS_BUCKET objects) → USER_DATA_STORAGE `artifact-content`
 * items.
 *
 * Legacy layout: the ARTIFACTS row `{user_id, artifacts: [{key, sharedBy?, ...}]}` lists
 * keys `{owner}/{YYYYMMDD}/{name}:v{n}`, each an S3 object holding the artifact JSON. A
 * shared copy sits in the *recipient's* list with `sharedBy` set.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import { buildUdsItem, describeKey, epochSecondsFrom, isOversized, parseTimestampText, type Problem } from './item';
import { fixPythonDictStrings } from './pythonLiteral';
import { FAMILIES, sharedArtifactSortKey } from './sanitize';
import { type ContentLookup, type ConversionResult, dataMap, listOfMaps, lookupContent, parseContent, stringAttr } from './conversionSupport';

/** `is_migrated_artifact`: keys of the new form are read from USER_DATA_STORAGE. */
export const isMigratedArtifactKey = (key: string): boolean => /^\d{8}\//.test(key);

export interface ArtifactsConversion extends ConversionResult {
  /** Legacy keys whose content item is in `items` (only these may be re-pointed in the row). */
  convertedKeys: string[];
}

/**
 * @param row the ARTIFACTS_DYNAMODB_TABLE row of the old id (`user_id` = old id)
 * @param contents artifact JSON by legacy S3 key (raw body text preferred)
 * @param newUserId the owner's new id
 * @param ids the whole id map (sharers are mapped through it)
 */
export function convertArtifacts(row: Item, contents: ContentLookup, newUserId: string, ids: IdMap): ArtifactsConversion {
  const owner = stringAttr(row, 'user_id') ?? '';
  const items: Item[] = [];
  const problems: Problem[] = [];
  const convertedKeys: string[] = [];

  for (const entry of listOfMaps(row, 'artifacts')) {
    const legacyKey = stringAttr(entry, 'key');
    if (legacyKey === undefined) {
      problems.push({ severity: 'error', code: 'entry-incomplete', subject: owner, message: 'artifact entry without key' });
      continue;
    }
    if (isMigratedArtifactKey(legacyKey)) continue; // content already in USER_DATA_STORAGE

    // Only the owner's own prefix is stripped. The legacy stripped nothing else and then
    // copied other users' objects into this partition and deleted them (§9.2).
    const newKey = owner && legacyKey.startsWith(`${owner}/`) ? legacyKey.slice(owner.length + 1) : undefined;
    if (newKey === undefined || !isMigratedArtifactKey(newKey)) {
      problems.push({
        severity: 'error',
        code: 'key-unexpected',
        subject: legacyKey,
        message: `artifact key is not "${owner}/{YYYYMMDD}/…"; left in place`,
      });
      continue;
    }

    const content = lookupContent(contents, legacyKey);
    if (content === undefined) {
      problems.push({ severity: 'error', code: 'content-missing', subject: legacyKey, message: 'artifact object not loaded' });
      continue;
    }
    const parsed = parseContent(content, legacyKey);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const mapped = dataMap(fixPythonDictStrings(parsed.node), legacyKey);
    if ('problem' in mapped) {
      problems.push(mapped.problem);
      continue;
    }

    const item = buildUdsItem({
      ...artifactLocation(entry, owner, newUserId, newKey, ids),
      data: mapped.data,
      createdAt: artifactCreatedAt(newKey, entry, row),
    });
    if (isOversized(item)) {
      // The artifacts service has no S3-pointer form for migrated content.
      problems.push({
        severity: 'error',
        code: 'item-too-large',
        subject: legacyKey,
        message: `item ${describeKey(item)} exceeds 400 KB; left in S3, not written`,
      });
      continue;
    }
    items.push(item);
    convertedKeys.push(legacyKey);
  }
  return { items, problems, convertedKeys };
}

/**
 * Where the service reads the content. Own artifacts: the owner's partition, SK = key. Shared
 * copies: the service reads them from the *sharer's* partition with SK
 * `shared-with-{recipient}#{key}` (`amplify-lambda-artifacts/service/core.py`). The legacy wrote
 * them under the recipient's partition, where the service never looks;
 * we write the shape the service reads (the running services' formats are the contract).
 */
function artifactLocation(entry: Record<string, AttributeValue>, owner: string, newUserId: string, newKey: string, ids: IdMap) {
  const sharedBy = stringAttr(entry, 'sharedBy');
  if (sharedBy && sharedBy !== owner) {
    return {
      partitionUser: ids.lookup(sharedBy) ?? sharedBy,
      family: FAMILIES.artifacts,
      sortKey: sharedArtifactSortKey(newUserId, newKey),
    };
  }
  return { partitionUser: newUserId, family: FAMILIES.artifacts, sortKey: newKey };
}

/** The artifact's own date (from its key), else its entry's or row's createdAt. */
function artifactCreatedAt(newKey: string, entry: Record<string, AttributeValue>, row: Item): number {
  return parseTimestampText(newKey.slice(0, 8)) ?? epochSecondsFrom(entry.createdAt) ?? epochSecondsFrom(row.createdAt) ?? 0;
}

/**
 * The ARTIFACTS row after its contents moved: `user_id` mapped, the converted entries'
 * keys without the owner prefix, `sharedBy` mapped exactly. Every entry is kept (the
 * legacy dropped already-migrated entries on a re-run, §9.2); entries whose content was
 * not converted keep their legacy key, which the service still reads from S3.
 */
export function artifactsRowAfterConversion(row: Item, ids: IdMap, convertedKeys: readonly string[]): Item {
  const owner = stringAttr(row, 'user_id') ?? '';
  const converted = new Set(convertedKeys);
  const out: Item = { ...row };
  if (owner) out.user_id = { S: ids.lookup(owner) ?? owner };
  const list = row.artifacts;
  if (list && 'L' in list) {
    out.artifacts = {
      L: list.L.map((v) => {
        if (!('M' in v)) return v;
        const entry = { ...v.M };
        const key = stringAttr(entry, 'key');
        if (key !== undefined && converted.has(key)) entry.key = { S: key.slice(owner.length + 1) };
        const sharedBy = stringAttr(entry, 'sharedBy');
        const mappedSharer = sharedBy === undefined ? undefined : ids.lookup(sharedBy);
        if (mappedSharer !== undefined) entry.sharedBy = { S: mappedSharer };
        return { M: entry };
      }),
    };
  }
  return out;
}
