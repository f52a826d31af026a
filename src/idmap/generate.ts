/**
 * Id maps generated from live data instead of an operator's CSV. Pure: the activities read
 * the cognito-users table or the user pool and hand the records here.
 */
import { getString, type Item } from '../dynamo/attributeValue';
import type { IdPair } from './types';

/** Python's default str ordering (code points), which the legacy files are sorted by. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/**
 * `--no-id-change`: every non-empty `user_id` of the cognito-users table mapped to itself,
 * sorted, one row per id.
 */
export function pairsFromCognitoUsersTable(items: readonly Item[]): IdPair[] {
  const ids = new Set<string>();
  for (const item of items) {
    const id = getString(item, 'user_id');
    if (id) ids.add(id);
  }
  return [...ids].sort(compareCodePoints).map((id) => ({ oldId: id, newId: id }));
}

export interface CognitoPoolUser {
  username: string;
  email?: string;
  sub?: string;
}

export type SkipReason = 'missing email' | 'missing sub' | 'email shared with another user';

export interface SkippedCognitoUser {
  username: string;
  email?: string;
  reason: SkipReason;
}

export interface CognitoPoolPairs {
  pairs: IdPair[];
  /** Users that get no row; the operator must see them, they will not be migrated. */
  skipped: SkippedCognitoUser[];
}

/**
 * `--use-sub`: email → sub for every user of the pool, exactly as stored (no lower-casing),
 * sorted by (email, sub). Like the legacy, users without an email or a sub are skipped; unlike
 * the legacy, two users sharing one email are skipped and reported instead of producing a map
 * whose duplicate old_id the reader would have resolved by keeping the last row.
 */
export function pairsFromCognitoPool(users: readonly CognitoPoolUser[]): CognitoPoolPairs {
  const skipped: SkippedCognitoUser[] = [];
  const candidates: { username: string; email: string; sub: string }[] = [];
  for (const user of users) {
    if (!user.email) skipped.push({ username: user.username, reason: 'missing email' });
    else if (!user.sub) skipped.push({ username: user.username, email: user.email, reason: 'missing sub' });
    else candidates.push({ username: user.username, email: user.email, sub: user.sub });
  }

  const usersPerEmail = new Map<string, number>();
  for (const c of candidates) usersPerEmail.set(c.email, (usersPerEmail.get(c.email) ?? 0) + 1);
  const pairs: IdPair[] = [];
  for (const c of candidates) {
    if (usersPerEmail.get(c.email)! > 1) skipped.push({ username: c.username, email: c.email, reason: 'email shared with another user' });
    else pairs.push({ oldId: c.email, newId: c.sub });
  }

  pairs.sort((a, b) => compareCodePoints(a.oldId, b.oldId) || compareCodePoints(a.newId, b.newId));
  skipped.sort((a, b) => compareCodePoints(a.username, b.username));
  return { pairs, skipped };
}
