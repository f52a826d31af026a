/**
 * Workflow tests without AWS: a worker on the test stack's Temporal server whose activities
 * are stubs (every one answers empty totals unless a test overrides it). The workflows run
 * exactly as in production, so their phases, gates and failure handling are tested in
 * seconds, beside the end-to-end tests on moto.
 */
import { Worker } from '@temporalio/worker';
import type { MigrationActivities } from '../../activities/contract';
import type { PreflightActivities } from '../../activities/preflight/activities';
import { buildDeployment, type Deployment } from '../../src/deployment/catalogue';
import type { IdPair } from '../../src/idmap/types';
import { emptyTotals } from '../../src/report/counters';
import type { IdMapRef, MigrationInput, MigrationOptions } from '../../workflows/types';
import { uniqueDepName } from './aws';
import { testOptions } from './migration';
import { workflowBundle, type TestTemporal } from './temporal';

type Stub<F> = F extends (...args: infer A) => infer R ? (...args: A) => R : never;
export type StubbedActivities = { [K in keyof MigrationActivities]: Stub<MigrationActivities[K]> } & PreflightActivities;

const empty = async () => emptyTotals();
const noVerificationProblems = async () => ({ tablesChecked: 0, itemsChecked: 0, oldIdsLeft: 0, objectsChecked: 0, objectsMissing: 0, problems: [] });

/** A deployment where everything exists and nothing needs doing, for `pairs` users. */
export function stubbedActivities(pairs: IdPair[], overrides: Partial<StubbedActivities> = {}): StubbedActivities {
  const defaults: StubbedActivities = {
    checkCallerIdentity: async () => ({ account: '000000000000', arn: 'arn:aws:iam::000000000000:root' }),
    describeTables: async (tables) => tables.map((t) => ({ ...t, exists: true })),
    headBuckets: async (buckets) => buckets.map((b) => ({ ...b, exists: true })),
    countTableItems: async () => 0,
    describeStack: async (name) => ({ name, exists: false }),
    storeIdMap: async () => stubIdMapRef(pairs),
    loadIdMapPage: async ({ offset, limit }) => pairs.slice(offset, offset + limit),
    writeSsmParameters: empty,
    exportOldUserStorage: async () => undefined,
    missingPrerequisites: async () => [],
    startBackups: async () => [],
    awaitBackups: async ({ backups }) => backups,
    migrateUserDataStorageSegment: empty,
    importOldUserStorageSegment: empty,
    migrateUserObjects: empty,
    convertUser: empty,
    rewriteUserTables: empty,
    copyUserObjects: empty,
    rewriteUserTable: empty,
    convertUserData: empty,
    rewriteTableSegment: empty,
    planUserTableSegment: empty,
    rewriteUsersTableSegment: empty,
    copyBulkObjects: empty,
    verifyTableSegment: noVerificationProblems,
    verifyObjects: noVerificationProblems,
    writeReport: async ({ bucket, report }) => ({ bucket, key: `reports/${report.runId}.json` }),
    cleanupSource: empty,
  } as StubbedActivities;
  return { ...defaults, ...overrides };
}

export function stubIdMapRef(pairs: IdPair[]): IdMapRef {
  return { bucket: 'stub', key: 'stub', sha256: 'stub', count: pairs.length, changesAnyId: pairs.some((p) => p.oldId !== p.newId) };
}

export function stubbedMigrationInput(pairs: IdPair[], options: Partial<MigrationOptions> = {}): { input: MigrationInput; deployment: Deployment } {
  const deployment = buildDeployment({ depName: uniqueDepName('s'), stage: 'dev' });
  return { deployment, input: { runId: `r${Date.now()}`, deployment, idMapRef: stubIdMapRef(pairs), options: testOptions(options) } };
}

/** What a stubbed worker needs of a server: the dev server's (./temporal.ts) or the time-skipping one (./timeSkipping.ts). */
export type StubbedTemporal = Pick<TestTemporal, 'client' | 'nativeConnection' | 'taskQueue'> & { namespace?: string };

export async function createStubbedWorker(temporal: StubbedTemporal, activities: StubbedActivities): Promise<Worker> {
  return Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace ?? 'default',
    taskQueue: temporal.taskQueue,
    activities,
    workflowBundle: await workflowBundle(),
  });
}
