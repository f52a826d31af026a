/**
 * generateSampleDeployment: a realistic legacy deployment for N users, as plain data,
 * deterministic from a seed. The seeder writes it; tests compare the emulator with it.
 */
import { buildDeployment, type DeploymentRef } from '../deployment/catalogue';
import { createRandom } from './random';
import { ADVERSARIAL_IDS, PREFIX_OUTSIDER_ID, cognitoUsersFor, generatePopulation } from './population';
import { createCollector, type Person } from './context';
import { accountRows, agentEventTemplateRows, cognitoUserRow, miscRows, oauthRows, opsRows } from './userRows';
import { fileRows } from './fileRows';
import { assistantRows, threadRows } from './assistantRows';
import { billingRows } from './billingRows';
import { agentStateObjects, codeInterpreterObjects, conversationObjects, groupConversationObjects } from './userObjects';
import { artifactObjects, scheduledTaskObjects, shareObjects, workflowTemplateObjects } from './conversionObjects';
import { oldUserStorageRows, settingsSourceFor, userDataStorageRows } from './userStorage';
import { adminConfigs, apiDocumentation, assistantGroups, conversionBuckets, dataDisclosure, neverMigratedRows } from './deploymentWide';
import type { SampleDeployment, SampleOptions } from './types';

/** The legacy config.py defaults (DEP_NAME = "v6", STAGE = "dev"). */
export const DEFAULT_SAMPLE_DEPLOYMENT: DeploymentRef = { depName: 'v6', stage: 'dev' };

export function defaultOutsiderCount(users: number): number {
  return Math.max(1, Math.ceil(users / 10));
}

/** The migrated user an outsider deals with: the one whose id the outsider's extends, else one in turn. */
function migratedContact(outsider: string, at: number, oldIds: readonly string[]): string[] {
  if (oldIds.length === 0) return [];
  const extended = oldIds.filter((id) => outsider.startsWith(id)).sort((a, b) => b.length - a.length)[0];
  return [extended ?? oldIds[at % oldIds.length]];
}

export function generateSampleDeployment(options: SampleOptions): SampleDeployment {
  for (const [name, value] of Object.entries({
    users: options.users,
    itemsPerUser: options.itemsPerUser,
    objectsPerUser: options.objectsPerUser,
    objectBytes: options.objectBytes,
  })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (options.scenario !== 'A' && options.scenario !== 'B') throw new RangeError(`scenario must be A or B, got ${String(options.scenario)}`);
  const ref = options.deployment ?? DEFAULT_SAMPLE_DEPLOYMENT;
  const resolved = { ...options, outsiders: options.outsiders ?? defaultOutsiderCount(options.users) };
  delete (resolved as { deployment?: unknown }).deployment;

  const root = createRandom(options.seed);
  const population = generatePopulation(root.fork('population'), options.users, resolved.outsiders, options.scenario);
  const newIdOf = new Map(population.users.map((u) => [u.oldId, u.newId]));
  const everyone = population.everyone;
  const outsiders = population.outsiders;
  const neighbours = (list: readonly string[], at: number) => [list[(at + 1) % list.length], list[(at + list.length - 1) % list.length]];
  const oldIds = population.users.map((u) => u.oldId);
  const people: Person[] = everyone.map((id, index) => {
    const migrated = newIdOf.has(id);
    // Migrated users reference neighbours, outsiders included (bob@example.edu also names
    // bob@example.edu.au, which must never be taken for him). Outsiders reference one
    // migrated user first (the one whose id theirs extends, else one in turn: he shares with
    // them, edits their files, is their delegate …), then outsiders. A migration maps exactly
    // those references in their items; everything else they own stays byte-identical.
    const peers = migrated
      ? [...neighbours(everyone, index), ...(id === ADVERSARIAL_IDS[0] && outsiders.includes(PREFIX_OUTSIDER_ID) ? [PREFIX_OUTSIDER_ID] : [])]
      : [...migratedContact(id, outsiders.indexOf(id), oldIds), ...neighbours(outsiders, outsiders.indexOf(id))];
    return { id, newId: newIdOf.get(id) ?? id, index, migrated, peers: [...new Set(peers)] };
  });

  const { context: ctx, collected } = createCollector({
    rng: root.fork('deployment'),
    names: buildDeployment(ref),
    itemsPerUser: options.itemsPerUser,
    objectsPerUser: options.objectsPerUser,
    objectBytes: options.objectBytes,
  });

  const wide = root.fork('deployment-wide');
  adminConfigs(ctx, people, wide);
  const groupAssistantIds = people.length > 0 ? assistantGroups(ctx, people, wide) : [];
  dataDisclosure(ctx, wide);
  apiDocumentation(ctx, wide);
  conversionBuckets(ctx, people, wide);
  neverMigratedRows(ctx, people, wide);

  for (const p of people) {
    // One stream per person: a person's data does not depend on how many users come after.
    const rng = root.fork(`person:${p.id}`);
    if (p.migrated) cognitoUserRow(ctx, p);
    const fileIds = fileRows(ctx, p, rng);
    const apiKeyId = accountRows(ctx, p, rng);
    opsRows(ctx, p, rng);
    oauthRows(ctx, p, rng);
    agentEventTemplateRows(ctx, p, rng);
    assistantRows(ctx, p, rng, fileIds);
    const codeInterpreterAssistantId = codeInterpreterObjects(ctx, p, rng);
    const threadIds = threadRows(ctx, p, rng, codeInterpreterAssistantId);
    billingRows(ctx, p, rng, { apiKeyId, threadIds, codeInterpreterAssistantId });
    miscRows(ctx, p, rng);
    conversationObjects(ctx, p, rng);
    agentStateObjects(ctx, p, rng);
    artifactObjects(ctx, p, rng);
    workflowTemplateObjects(ctx, p, rng);
    scheduledTaskObjects(ctx, p, rng);
    const settings = settingsSourceFor(p);
    shareObjects(ctx, p, rng, settings === 'shares-record');
    userDataStorageRows(ctx, p, rng, settings);
    // Group conversations move system-wide, whoever they belong to: outsiders have none.
    if (p.migrated) groupConversationObjects(ctx, p, rng, groupAssistantIds);
    oldUserStorageRows(ctx, p, rng);
  }

  return {
    options: resolved as SampleDeployment['options'],
    deployment: { depName: ref.depName, stage: ref.stage },
    users: population.users,
    outsiders: population.outsiders,
    ...collected,
    cognitoUsers: cognitoUsersFor(root.fork('cognito'), population.users, options.scenario),
  };
}
