/** What every sample-data family needs: the draws, the names, the sizes, and the sinks. */
import type { Deployment, TableKey } from '../deployment/catalogue';
import type { Random } from './random';
import { toItem, type PlainMap } from './plain';
import type { SampleDeployment, SeedItem, SeedObject } from './types';

export interface Person {
  /** The old id (the id the data is stored under today). */
  id: string;
  /** The id after the migration; equal to `id` for outsiders and in scenario B. */
  newId: string;
  index: number;
  migrated: boolean;
  /** Other people this person shares with, lists as senders, adds to groups… */
  peers: string[];
}

export interface SeedContext {
  rng: Random;
  names: Deployment;
  itemsPerUser: number;
  objectsPerUser: number;
  objectBytes: number;
  item(table: TableKey, fields: PlainMap, owner?: string): void;
  oldStorageItem(fields: PlainMap, owner?: string): void;
  object(object: SeedObject): void;
}

export function createCollector(
  base: Omit<SeedContext, 'item' | 'oldStorageItem' | 'object'>,
): { context: SeedContext; collected: Pick<SampleDeployment, 'items' | 'objects' | 'oldUserStorageItems'> } {
  const items: SeedItem[] = [];
  const oldUserStorageItems: SeedItem[] = [];
  const objects: SeedObject[] = [];
  const withOwner = (owner?: string) => (owner === undefined ? {} : { owner });
  return {
    context: {
      ...base,
      item: (table, fields, owner) => items.push({ table, item: toItem(fields), ...withOwner(owner) }),
      oldStorageItem: (fields, owner) =>
        oldUserStorageItems.push({ table: 'OLD_USER_STORAGE_TABLE', item: toItem(fields), ...withOwner(owner) }),
      object: (object) => objects.push(object),
    },
    collected: { items, objects, oldUserStorageItems },
  };
}

/** Fixed origin for every generated timestamp (no clock in the pure core). */
const ORIGIN_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY_MS = 86_400_000;

/** A timestamp within the year after the origin. */
export function instant(rng: Random): Date {
  return new Date(ORIGIN_MS + rng.int(365 * DAY_MS));
}
export const iso = (d: Date): string => d.toISOString();
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
export const compactDay = (d: Date): string => isoDay(d).replaceAll('-', '');
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);
export const dayAfterOrigin = (days: number): Date => new Date(ORIGIN_MS + days * DAY_MS);

/** The given name in an email-like id: before the `@`, and before any `.` or `+`. */
export const given = (id: string) => id.split('@')[0].split(/[.+]/)[0];

/** The user part of a USER_DATA_STORAGE hash key, sanitised as the service does. */
export const sanitizeUser = (id: string): string => id.replace(/[^A-Za-z0-9@._-]/g, '-');
/** The app part, sanitised as the service does. */
export const sanitizeApp = (app: string): string => app.replace(/[^A-Za-z0-9-]/g, '-');

/** The content type of every JSON object the services write. */
export const JSON_TYPE = 'application/json';

const encoder = new TextEncoder();
export const byteLength = (text: string): number => encoder.encode(text).length;

const WORDS = (
  'amplify assistant model prompt context research student faculty course grant budget analysis report ' +
  'summary chart campus library lab data source upload share folder workflow schedule agent memory token'
).split(' ');

export function sentence(rng: Random, words = 8): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS));
  const text = out.join(' ');
  return text[0].toUpperCase() + text.slice(1) + '.';
}

/** ASCII filler of exactly `length` characters (so its byte length equals its length). */
export function filler(rng: Random, length: number): string {
  let out = '';
  while (out.length < length) out += rng.pick(WORDS) + ' ';
  return out.slice(0, length);
}

/**
 * The JSON text of `value`, padded with a `padding` field up to `bytes` bytes when it is
 * shorter. Object bodies stay valid JSON of the shape the service stores.
 */
export function jsonBody(rng: Random, value: Record<string, unknown>, bytes: number): string {
  const bare = JSON.stringify(value);
  const empty = JSON.stringify({ ...value, padding: '' });
  const missing = bytes - byteLength(empty);
  if (byteLength(bare) >= bytes || missing <= 0) return bare;
  return JSON.stringify({ ...value, padding: filler(rng, missing) });
}

/** Plain text padded with filler lines up to `bytes` bytes. */
export function textBody(rng: Random, head: string, bytes: number): string {
  const missing = bytes - byteLength(head) - 1;
  return missing > 0 ? `${head}\n${filler(rng, missing)}` : head;
}
