/** Runs a whole migration of a seeded sample deployment through the real dev server. */
import type { Worker } from '@temporalio/worker';
import type { AwsClients } from '../../activities/aws/clients';
import { seedSampleDeployment, type SeedOptions } from '../../client/seed/seed';
import { putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { DEFAULT_OPTIONS } from '../../client/migrationInput';
import { buildDeployment, type Deployment } from '../../src/deployment/catalogue';
import type { IdPair } from '../../src/idmap/types';
import { generateSampleDeployment, type SampleDeployment, type SampleOptions } from '../../src/seed';
import { migrationWorkflow } from '../../workflows/migration';
import type { MigrationInput, MigrationOptions, MigrationReport } from '../../workflows/types';
import { uniqueDepName } from './aws';
import type { TestTemporal } from './temporal';

export interface SeededDeployment {
  deployment: Deployment;
  sample: SampleDeployment;
}

export async function seedDeployment(clients: AwsClients, options: Partial<SampleOptions> & Pick<SampleOptions, 'scenario'>, seedOptions: SeedOptions = {}): Promise<SeededDeployment> {
  const deployment = buildDeployment({ depName: uniqueDepName('m'), stage: 'dev' });
  const sample = generateSampleDeployment({
    users: 8,
    itemsPerUser: 2,
    objectsPerUser: 2,
    objectBytes: 256,
    seed: 7,
    ...options,
    deployment: { depName: deployment.depName, stage: deployment.stage },
  });
  await seedSampleDeployment(clients, deployment, sample, { versionedBuckets: ['S3_CONVERSATIONS_BUCKET_NAME', 'S3_SHARE_BUCKET_NAME'], ...seedOptions });
  return { deployment, sample };
}

export function testOptions(overrides: Partial<MigrationOptions> = {}): MigrationOptions {
  return { ...DEFAULT_OPTIONS, autoApprove: true, userConcurrency: 4, scanSegments: 2, deploymentPollSeconds: 2, ...overrides };
}

export async function migrationInput(
  clients: AwsClients,
  deployment: Deployment,
  pairs: IdPair[],
  options: MigrationOptions,
  runId = `r${Date.now()}`,
): Promise<MigrationInput> {
  const claim = await putIdMapClaimCheck(clients, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs).catch(() => undefined);
  return {
    runId,
    deployment,
    ...(claim ? { idMapRef: { ...claim, count: pairs.length, changesAnyId: pairs.some((p) => p.oldId !== p.newId) } } : { idMapPairs: pairs }),
    options,
  };
}

/** Starts the migration workflow with a worker running for its whole duration. */
export async function runMigration(temporal: TestTemporal, worker: Worker, input: MigrationInput, workflowId: string): Promise<MigrationReport> {
  return worker.runUntil(
    temporal.client.workflow.execute(migrationWorkflow, {
      taskQueue: temporal.taskQueue,
      workflowId,
      args: [input],
    }),
  );
}
