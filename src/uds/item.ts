/**
 * Building USER_DATA_STORAGE items and the problems conversions report.
 */
import { createHash } from 'node:crypto';
import { type AttributeValue, type Item, itemSizeBytes, MAX_ITEM_BYTES } from '../dynamo/attributeValue';
import { type UdsFamily, udsHashKey, udsPartitionKey } from './sanitize';


export type ProblemCode =
  | 'item-too-large'
  | 'item-too-large-s3-form'
  | 'content-missing'
  | 'content-invalid'
  | 'entry-incomplete'
  | 'key-unexpected'
  | 'duplicate-execution'
  | 'date-fallback'
  | 'ambiguous-id';

export interface Problem {
  /** error: something was not converted and must stay where it is; warning: converted, with a caveat. */
  severity: 'error' | 'warning';
  code: ProblemCode;
  message: string;
  /** What the problem is about: an S3 key, a template id, a share key ... */
  subject: string;
}

/** Namespace of the UUIDs we mint (a fixed, arbitrary v4 UUID). */
const UUID_NAMESPACE = '3f1d2c4e-8b6a-4f5e-9c7d-2a1b0e9f8d6c';

/**
 * RFC 4122 version-5 UUID of `name`: lowercase, hyphenated, and the same for the same
 * input on every run, so a re-run rewrites the same UUID instead of minting a new one.
 */
export function deterministicUuid(name: string): string {
  const ns = Buffer.from(UUID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface UdsItemSpec {
  /** The user whose partition holds the item (raw id; sanitised here). */
  partitionUser: string;
  family: UdsFamily;
  sortKey: string;
  data: AttributeValue;
  /** Epoch seconds, derived from the source (never the run's clock). */
  createdAt: number;
}

/**
 * The item shape the migration writes and the services read:
 * PK, SK, UUID, data, appId, entityType, createdAt. No `itemId`/`rangeKey`: the service
 * derives `itemId` from SK when it is absent.
 */
export function buildUdsItem(spec: UdsItemSpec): Item {
  const PK = udsPartitionKey(spec.partitionUser, spec.family.app, spec.family.entityType);
  return {
    PK: { S: PK },
    SK: { S: spec.sortKey },
    UUID: { S: deterministicUuid(`${PK}\n${spec.sortKey}`) },
    data: spec.data,
    appId: { S: udsHashKey(spec.partitionUser, spec.family.app) },
    entityType: { S: spec.family.entityType },
    createdAt: { N: String(Math.max(0, Math.floor(spec.createdAt))) },
  };
}

export function isOversized(item: Item): boolean {
  return itemSizeBytes(item) > MAX_ITEM_BYTES;
}

export function describeKey(item: Item): string {
  const pk = item.PK && 'S' in item.PK ? item.PK.S : '?';
  const sk = item.SK && 'S' in item.SK ? item.SK.S : '?';
  return `${pk} / ${sk}`;
}

/** Epoch seconds from the timestamp forms found in the legacy tables, or undefined. */
export function epochSecondsFrom(value: AttributeValue | undefined): number | undefined {
  if (!value) return undefined;
  if ('N' in value) {
    const n = Number(value.N);
    if (!Number.isFinite(n) || n <= 0) return undefined;
    // Millisecond timestamps (shares `createdAt`, `sharedAt`) are 13 digits today.
    return Math.floor(n > 1e11 ? n / 1000 : n);
  }
  if ('S' in value) return parseTimestampText(value.S);
  return undefined;
}

/**
 * ISO-8601 (`datetime.now().isoformat()`, naive: read as UTC), `YYYYMMDD`, or the
 * artifacts service's `%b %d, %Y` (`Mar 05, 2025`).
 */
export function parseTimestampText(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = iso;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (zone && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
  }
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  if (compact) return Math.floor(Date.UTC(Number(compact[1]), Number(compact[2]) - 1, Number(compact[3])) / 1000);
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const human = /^([A-Za-z]{3}) (\d{1,2}), (\d{4})$/.exec(text.trim());
  if (human) {
    const month = months.indexOf(human[1].toLowerCase());
    if (month >= 0) return Math.floor(Date.UTC(Number(human[3]), month, Number(human[2])) / 1000);
  }
  return undefined;
}

/** `YYYY-MM-DD` (UTC) of epoch seconds. */
export function utcDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}
