/**
 * Who is in the sample deployment: email-style old ids, starting with the ids that break
 * substring and prefix matching, then generated firstname.lastname@example.edu ids.
 */
import type { Random } from './random';
import type { CognitoSeedUser, Scenario, SeedUser } from './types';

/** Migrated users that exercise exact matching: a name prefix (bob / bobby), `+`, non-ASCII. */
export const ADVERSARIAL_IDS = ['bob@example.edu', 'bobby@example.edu', 'alice+test@example.edu', 'zoë@example.edu'] as const;
/** An outsider whose id starts with a migrated id: begins_with(…, 'bob@example.edu') finds it. */
export const PREFIX_OUTSIDER_ID = 'bob@example.edu.au';
/**
 * The first outsiders: each extends a migrated adversarial id (a prefix, then non-ASCII, then
 * `+`), and shares with exactly that user, so exact matching is tested on both sides.
 */
export const ADVERSARIAL_OUTSIDER_IDS = [PREFIX_OUTSIDER_ID, 'zoë@example.edu.au', 'alice+test@example.edu.au'] as const;

const FIRST_NAMES = [
  'ada', 'allen', 'amara', 'ben', 'carmen', 'chen', 'dana', 'diego', 'elena', 'emeka', 'fatima', 'gus',
  'hana', 'ivan', 'jamal', 'jin', 'kai', 'lena', 'luis', 'maya', 'nia', 'omar', 'priya', 'quinn',
  'rosa', 'sam', 'tariq', 'uma', 'victor', 'wen', 'xavier', 'yara', 'zane',
];
const LAST_NAMES = [
  'adams', 'baker', 'garcia', 'hughes', 'ito', 'jones', 'karns', 'kim', 'lopez', 'martin', 'nguyen',
  'okafor', 'patel', 'quiroga', 'reyes', 'smith', 'svensson', 'tanaka', 'usman', 'vance', 'wright', 'young',
];

export interface Population {
  users: SeedUser[];
  outsiders: string[];
  /** Every person owning data, migrated users first. */
  everyone: string[];
}

export function generatePopulation(rng: Random, userCount: number, outsiderCount: number, scenario: Scenario): Population {
  const taken = new Set<string>();
  const fresh = (): string => {
    for (;;) {
      const base = `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}`;
      for (let n = 0; ; n++) {
        const id = `${base}${n === 0 ? '' : n + 1}@example.edu`;
        if (!taken.has(id)) {
          taken.add(id);
          return id;
        }
        if (n > 50) break;
      }
    }
  };
  const oldIds: string[] = [];
  for (const id of ADVERSARIAL_IDS.slice(0, userCount)) {
    taken.add(id);
    oldIds.push(id);
  }
  const outsiders: string[] = [];
  for (const id of ADVERSARIAL_OUTSIDER_IDS.slice(0, outsiderCount)) {
    taken.add(id);
    outsiders.push(id);
  }
  while (oldIds.length < userCount) oldIds.push(fresh());
  while (outsiders.length < outsiderCount) outsiders.push(fresh());

  // Each new id comes from its own stream, so it does not change with the population size.
  const users = oldIds.map((oldId) => ({ oldId, newId: scenario === 'A' ? rng.fork(`new-id:${oldId}`).uuid() : oldId }));
  return { users, outsiders, everyone: [...oldIds, ...outsiders] };
}

/**
 * The user pool as the deployment has it. In A the pool has moved to immutable usernames:
 * username = sub = the new id, so `--use-sub` (email → sub) yields exactly the CSV. In B the
 * usernames are the emails and the subs are fresh uuids. Outsiders are not in the pool.
 */
export function cognitoUsersFor(rng: Random, users: readonly SeedUser[], scenario: Scenario): CognitoSeedUser[] {
  return users.map(({ oldId, newId }) =>
    scenario === 'A' ? { username: newId, email: oldId, sub: newId } : { username: oldId, email: oldId, sub: rng.fork(`sub:${oldId}`).uuid() },
  );
}
