/**
 * Builds a migration's workflow input from the operator's flags: validated id map (inline,
 * or as a claim check when the consolidation bucket already exists), optional Parameter
 * Store plan from the serverless repository, options with their defaults.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../activities/aws/clients';
import { describeFatalAwsError } from '../activities/aws/errors';
import { idMapObjectKey, putIdMapClaimCheck } from '../activities/dynamo/idMapClaimCheck';
import type { Deployment } from '../src/deployment/catalogue';
import type { IdPair } from '../src/idmap/types';
import { buildParameterPlan, SsmInputError } from '../src/ssm';
import type { IdMapRef, MigrationInput, MigrationOptions, OnConflict } from '../workflows/types';
import { CliError, EXIT } from './exitCodes';
import { loadServerlessRepo } from './ssm/loadRepo';

/** Above this many users the map must travel as a claim check (payload limit ~2 MB, history repeats it). */
export const MAX_INLINE_PAIRS = 10_000;

export const DEFAULT_OPTIONS: MigrationOptions = {
  dryRun: false,
  onConflict: 'skip',
  userConcurrency: 20,
  scanSegments: 4,
  skipBackups: false,
  autoApprove: false,
  offerCleanup: false,
  deploymentPollSeconds: 60,
  historyEventsBeforeContinueAsNew: 4000,
};

export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

function whyAwsFailed(err: unknown): string {
  return describeFatalAwsError(err) ?? `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`;
}

/**
 * Only "no such bucket" means the map goes inline (the workflow stores it once the
 * deployment created the bucket). Any other failure (unreachable endpoint, no credentials,
 * access denied) is an error of this client, not a reason to silently switch paths.
 */
async function bucketExists(clients: AwsClients, bucket: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404) return false;
    throw new CliError(`cannot store the id map: checking the consolidation bucket ${bucket} failed: ${whyAwsFailed(err)}`, EXIT.failed);
  }
}

export async function idMapForWorkflow(clients: AwsClients, deployment: Deployment, pairs: IdPair[]): Promise<{ idMapRef?: IdMapRef; idMapPairs?: IdPair[] }> {
  const bucket = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
  if (await bucketExists(clients, bucket)) {
    let claim: Awaited<ReturnType<typeof putIdMapClaimCheck>>;
    try {
      claim = await putIdMapClaimCheck(clients, bucket, pairs);
    } catch (err) {
      throw new CliError(`cannot store the id map in s3://${bucket}/${idMapObjectKey('…')}: ${whyAwsFailed(err)}`, EXIT.failed);
    }
    return { idMapRef: { ...claim, count: pairs.length, changesAnyId: pairs.some((p) => p.oldId !== p.newId) } };
  }
  if (pairs.length > MAX_INLINE_PAIRS) {
    throw new CliError(
      `${pairs.length} users are too many to pass inline and the consolidation bucket ${bucket} does not exist yet: deploy amplify-lambda first, then start`,
    );
  }
  return { idMapPairs: pairs };
}

/** includeTemplateServices: also populate template services (`example-service`), skipped and named by default. */
export async function ssmPhaseInput(repo: string, deployment: Deployment, includeTemplateServices = false): Promise<MigrationInput['ssm']> {
  try {
    const loaded = await loadServerlessRepo(repo, { stage: deployment.stage });
    if (!loaded.varFile) throw new CliError(`${repo}/var/${deployment.stage}-var.yml not found: the Parameter Store phase needs the stage var file`);
    const plan = buildParameterPlan({
      stage: deployment.stage,
      depName: deployment.depName,
      services: loaded.services,
      varFile: loaded.varFile,
      includeTemplateServices,
    });
    const errors = plan.skipped.filter((s) => s.severity === 'error');
    if (errors.length > 0) {
      throw new CliError(`${errors[0].file}${errors[0].line ? ` line ${errors[0].line}` : ''}: ${errors[0].reason}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
    }
    const skippedServices = plan.services.flatMap((s) => (s.skippedReason ? [{ service: s.service ?? s.folder, file: s.file, reason: s.skippedReason }] : []));
    return { parameters: plan.parameters, skipped: plan.skipped.length, ...(skippedServices.length > 0 ? { skippedServices } : {}) };
  } catch (err) {
    if (err instanceof SsmInputError) throw new CliError(err.message);
    throw err;
  }
}

export function parseOnConflict(value: string | undefined): OnConflict {
  if (value === undefined) return 'skip';
  if (value === 'skip' || value === 'overwrite' || value === 'fail') return value;
  throw new CliError(`--on-conflict must be skip, overwrite or fail, not "${value}"`);
}
