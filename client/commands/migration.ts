/**
 * The operator's migration commands: start one, answer its gates, pause/resume, watch it,
 * read its plan and report, list migrations, retry failed users.
 */
import { appendFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import {
  CancelledFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { createAwsClients } from '../../activities/aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import type { IdPair } from '../../src/idmap/types';
import { approveUpdate, deployedSignal, pauseUpdate, planQuery, rejectUpdate, reportQuery, resumeUpdate, statusQuery } from '../../workflows/messages';
import { migrationWorkflowId } from '../../workflows/migration';
import { DEPLOYMENT_KEY, DRY_RUN_KEY, STAGE_KEY } from '../../workflows/searchAttributes';
import type { GateName, MigrationInput, MigrationReport } from '../../workflows/types';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { CliError, EXIT } from '../exitCodes';
import { resolveIdMap, type IdMapArgs } from '../idMapInput';
import { DEFAULT_OPTIONS, idMapForWorkflow, newRunId, parseOnConflict, ssmPhaseInput } from '../migrationInput';
import { checkServerlessYaml } from '../ssmRepoCheck';
import {
  assertDeploymentExists,
  assertNoActiveMigration,
  clientAwsWhere,
  describeWhere,
  oldIdsNotInCognitoUsers,
  unknownUsersFromMemo,
  unknownUsersOf,
  unknownUserWarnings,
} from '../startChecks';
import { reportWorkerAws } from '../workerAws';
import { closedRun } from '../statusWords';
import { renderReport, renderStatus, renderStrategy, renderTotals } from '../render/progress';
import { changedLinesView, watchView, type StatusView } from '../render/watch';
import { describePlan } from '../../src/plan/steps';
import { clientTaskQueue, connectClient, hasWorkers } from '../temporal';
import { rootCauseMessage } from './preflight';

/** The exit code a finished migration's report deserves: exit codes tell the truth. */
export function exitCodeFor(report: MigrationReport): number {
  switch (report.outcome) {
    case 'succeeded':
      return EXIT.ok;
    case 'succeeded-with-conflicts':
      return EXIT.conflictsLeft;
    case 'rejected':
      return EXIT.rejected;
    case 'dry-run': {
      const plan = report.plan ?? report.totals;
      return plan.failureCount > 0 ? EXIT.failed : plan.conflictCount > 0 ? EXIT.conflictsLeft : EXIT.ok;
    }
    default:
      return EXIT.failed;
  }
}

/** The Web UI link of a workflow: TEMPORAL_UI_URL, or the dev server's default (gRPC port + 1000). */
export function webUiLink(workflowId: string, namespace = process.env.TEMPORAL_NAMESPACE ?? 'default'): string {
  let base = process.env.TEMPORAL_UI_URL;
  if (!base) {
    const [host, port] = (process.env.TEMPORAL_ADDRESS ?? 'localhost:7233').split(':');
    base = `http://${host}:${Number(port ?? 7233) + 1000}`;
  }
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, close } = await connectClient();
  try {
    return await fn(client);
  } finally {
    await close();
  }
}

function handleFor(client: Client, args: DeploymentArgs & { 'workflow-id'?: string }): WorkflowHandle {
  const id = args['workflow-id'] ?? migrationWorkflowId(args['dep-name'], args.stage);
  return client.workflow.getHandle(id);
}

function withTarget<T>(y: Argv<T>) {
  return withDeploymentArgs(y).option('workflow-id', { type: 'string', describe: 'a migration workflow id (default: migration-{dep}-{stage})' });
}

async function describeOrExplain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CliError(`no such migration: ${err.message}`, EXIT.failed);
    if (err instanceof WorkflowUpdateFailedError) throw new CliError(rootCauseMessage(err), EXIT.badInput);
    throw err;
  }
}

/** Follows a migration until it ends, printing status changes; returns its report. */
export async function followMigration(
  handle: WorkflowHandle,
  log: (line: string) => void,
  intervalMs = 2000,
  show: StatusView = changedLinesView(log),
): Promise<MigrationReport> {
  const done = handle.result().then(
    (report: MigrationReport) => ({ report }),
    (err: unknown) => ({ err }),
  );
  for (;;) {
    const finished = await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), intervalMs))]);
    if (finished) {
      if ('err' in finished) {
        if (finished.err instanceof WorkflowFailedError && finished.err.cause instanceof CancelledFailure) {
          throw new CliError(`migration ${handle.workflowId} was cancelled`, EXIT.cancelled);
        }
        throw new CliError(`migration failed: ${finished.err instanceof WorkflowFailedError ? rootCauseMessage(finished.err) : String(finished.err)}`, EXIT.failed);
      }
      return finished.report;
    }
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status) show(status);
  }
}

type StartArgs = DeploymentArgs &
  IdMapArgs & {
    'dry-run'?: boolean;
    'dont-backup'?: boolean;
    'auto-approve'?: boolean;
    concurrency?: number;
    'scan-segments'?: number;
    'on-conflict'?: string;
    log?: string;
    'ssm-repo'?: string;
    'include-template-services'?: boolean;
    'ssm-lenient'?: boolean;
    cleanup?: boolean;
    wait?: boolean;
    json?: boolean;
    'run-id'?: string;
  };

/** Inputs validated before any AWS or Temporal call (CSV, Parameter Store repository), and where to print. */
export interface PreparedStart {
  ssm?: MigrationInput['ssm'];
  log: (line: string) => void;
  /** A worker polls the task queue: wait for the run's preflight to say which AWS the workers use. */
  workersPolling?: boolean;
}

/**
 * Starts a migration once every check has passed; the id map's claim check is the first
 * thing written. Order: no migration already running, this client's AWS identity, the
 * deployment exists, unknown users warned, then the claim check and the workflow.
 */
export async function startMigration(
  client: Client,
  deployment: Deployment,
  pairs: IdPair[],
  args: StartArgs,
  prepared: PreparedStart = { log: (line) => console.log(line) },
): Promise<WorkflowHandle> {
  const { log } = prepared;
  const workflowId = migrationWorkflowId(deployment.depName, deployment.stage);
  await assertNoActiveMigration(client, workflowId, `${deployment.depName}/${deployment.stage}`);
  const clients = createAwsClients();
  const where = await clientAwsWhere(clients, 'start needs it to check the deployment and store the id map');
  log(`AWS (this client): ${describeWhere(where)} as ${where.arn}`);
  await assertDeploymentExists(clients, deployment, where);
  const unknownUsers = unknownUsersOf(await oldIdsNotInCognitoUsers(clients, deployment, pairs), deployment);
  for (const line of unknownUserWarnings(unknownUsers)) log(line);
  const idMap = await idMapForWorkflow(clients, deployment, pairs);
  const input: MigrationInput = {
    runId: args['run-id'] ?? newRunId(),
    deployment,
    ...idMap,
    options: {
      ...DEFAULT_OPTIONS,
      dryRun: Boolean(args['dry-run']),
      skipBackups: Boolean(args['dont-backup']),
      autoApprove: Boolean(args['auto-approve']),
      offerCleanup: Boolean(args.cleanup),
      onConflict: parseOnConflict(args['on-conflict']),
      userConcurrency: args.concurrency ?? DEFAULT_OPTIONS.userConcurrency,
      scanSegments: args['scan-segments'] ?? DEFAULT_OPTIONS.scanSegments,
    },
    ssm: prepared.ssm,
  };
  const claimCheck = idMap.idMapRef ? `s3://${idMap.idMapRef.bucket}/${idMap.idMapRef.key}` : undefined;
  try {
    const handle = await client.workflow.start('migrationWorkflow', {
      taskQueue: clientTaskQueue(),
      workflowId,
      args: [input],
      typedSearchAttributes: [
        { key: DEPLOYMENT_KEY, value: deployment.depName },
        { key: STAGE_KEY, value: deployment.stage },
        { key: DRY_RUN_KEY, value: input.options.dryRun },
      ],
      // The claim check is the one object a dry run writes: the memo lets `report` list it. The
      // run id and the ledger's bucket let the activities record the run's writes (issue 12).
      memo: {
        runId: input.runId,
        ledgerBucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME,
        users: pairs.length,
        changesIds: pairs.some((p) => p.oldId !== p.newId),
        ...(claimCheck ? { idMapClaimCheck: claimCheck } : {}),
        ...(unknownUsers ? { unknownUsers } : {}),
      },
      staticSummary: `${input.options.dryRun ? 'DRY RUN ' : ''}migration of ${deployment.depName}/${deployment.stage}: ${pairs.length} users`,
      staticDetails: `run ${input.runId}; on conflict: ${input.options.onConflict}; backups: ${input.options.skipBackups ? 'SKIPPED' : 'yes'}`,
    });
    log(`started ${handle.workflowId} (${pairs.length} users${input.options.dryRun ? ', dry run' : ''})`);
    if (claimCheck) log(`id map stored at ${claimCheck} (tool-owned${input.options.dryRun ? '; the only object this dry run writes' : ''})`);
    if (prepared.workersPolling) await reportWorkerAws(handle, where, log);
    return handle;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`a migration of ${deployment.depName}/${deployment.stage} is already running (${workflowId}): see "amplify-migrate status"`, EXIT.failed);
    }
    throw err;
  }
}

const startCommand: CommandModule<object, StartArgs> = {
  command: 'start',
  describe: 'Start the migration of a deployment (plan first; writes only after approval)',
  builder: (y) =>
    withDeploymentArgs(y)
      .option('csv', { type: 'string', describe: 'old_id,new_id CSV (or where to write a generated one)' })
      .option('no-id-change', { type: 'boolean', describe: 'scenario B: every cognito-users id mapped to itself' })
      .option('use-sub', { type: 'boolean', describe: 'scenario A from the user pool: email → sub' })
      .option('user-pool-id', { type: 'string' })
      .option('allow-chains', { type: 'boolean', describe: 'accept a new_id that is another row\'s old_id' })
      .option('ignore-extra-columns', { type: 'boolean', describe: 'read only old_id and new_id from the CSV, with a warning naming the other columns' })
      .option('dry-run', { type: 'boolean', describe: 'plan only: read everything, write nothing' })
      .option('dont-backup', { type: 'boolean', describe: 'skip the on-demand DynamoDB backups (not recommended)' })
      .option('auto-approve', { type: 'boolean', describe: 'approve every gate without asking' })
      .option('concurrency', { type: 'number', describe: `users migrated at once (default ${DEFAULT_OPTIONS.userConcurrency})` })
      .option('scan-segments', { type: 'number', describe: `the most parallel segments a scanned table gets (default ${DEFAULT_OPTIONS.scanSegments}); each table gets one per 5,000 items of its DynamoDB item count` })
      .option('on-conflict', { type: 'string', choices: ['skip', 'overwrite', 'fail'], describe: 'when a new key already holds different data (default skip)' })
      .option('ssm-repo', { type: 'string', describe: 'serverless repository: also populate Parameter Store (its own gate)' })
      .option('include-template-services', { type: 'boolean', describe: 'with --ssm-repo: also populate template services (example-service), skipped by default' })
      .option('ssm-lenient', { type: 'boolean', describe: 'accept serverless.yml files that are not valid YAML, read line by line as the legacy did (each named)' })
      .option('repo', { type: 'string', describe: 'serverless repository (for COGNITO_USER_POOL_ID with --use-sub)' })
      .option('cleanup', { type: 'boolean', describe: 'offer the cleanup of verified legacy objects behind its own gate' })
      .option('wait', { type: 'boolean', describe: 'follow the migration until it ends; exit code from its report' })
      .option('json', { type: 'boolean' })
      .option('log', { type: 'string', describe: 'also append progress to this file' })
      .option('run-id', { type: 'string' }),
  handler: async (args) => {
    // Everything local first (names, flags, CSV, repository): bad input ends here, exit 2, before any call.
    const deployment = deploymentFromArgs(args);
    const ssmWarnings = args['ssm-repo'] ? await checkServerlessYaml(args['ssm-repo'], deployment.stage, Boolean(args['ssm-lenient'])) : [];
    const ssm = args['ssm-repo'] ? await ssmPhaseInput(args['ssm-repo'], deployment, Boolean(args['include-template-services'])) : undefined;
    const { pairs, notes } = await resolveIdMap(args, createAwsClients(), deployment);
    const log = (line: string) => {
      console.log(line);
      if (args.log) appendFileSync(args.log, `${line}\n`);
    };
    for (const note of [...notes, ...ssmWarnings]) log(note);
    await withClient(async (client) => {
      const workers = await hasWorkers(client);
      if (!workers) log(`warning: no worker is polling "${clientTaskQueue()}" yet; start one with "amplify-migrate worker"`);
      const handle = await startMigration(client, deployment, pairs, args, { ssm, log, workersPolling: workers });
      log(`Web UI: ${webUiLink(handle.workflowId)}`);
      if (!args.wait) return;
      const report = await followMigration(handle, log);
      const unknownUsers = unknownUsersFromMemo((await handle.describe()).memo);
      log(args.json ? JSON.stringify({ ...report, ...(unknownUsers ? { unknownUsers } : {}) }, null, 2) : [renderReport(report), ...unknownUserWarnings(unknownUsers)].join('\n'));
      process.exitCode = exitCodeFor(report);
    });
  },
};

const gateOption = <T>(y: Argv<T>) => withTarget(y).option('gate', { type: 'string', choices: ['ssm', 'migrate', 'cleanup'], default: 'migrate' });

const approveCommand: CommandModule<object, DeploymentArgs & { 'workflow-id'?: string; gate: string }> = {
  command: 'approve',
  describe: 'Approve the gate a migration is waiting at',
  builder: gateOption,
  handler: (args) =>
    withClient(async (client) => {
      const status = await describeOrExplain(() => handleFor(client, args).executeUpdate(approveUpdate, { args: [args.gate as GateName] }));
      console.log(`approved "${args.gate}"; now in phase ${status.phase}`);
    }),
};

const rejectCommand: CommandModule<object, DeploymentArgs & { 'workflow-id'?: string; gate: string; reason: string }> = {
  command: 'reject',
  describe: 'Reject the gate a migration is waiting at (the migration stops, nothing more is written)',
  builder: (y) => gateOption(y).option('reason', { type: 'string', default: 'rejected by the operator' }),
  handler: (args) =>
    withClient(async (client) => {
      await describeOrExplain(() => handleFor(client, args).executeUpdate(rejectUpdate, { args: [args.gate as GateName, args.reason] }));
      console.log(`rejected "${args.gate}": ${args.reason}`);
    }),
};

const simple = (
  command: string,
  describe: string,
  act: (handle: WorkflowHandle) => Promise<string>,
): CommandModule<object, DeploymentArgs & { 'workflow-id'?: string }> => ({
  command,
  describe,
  builder: withTarget,
  handler: (args) => withClient(async (client) => console.log(await describeOrExplain(() => act(handleFor(client, args))))),
});

const pauseCommand = simple('pause', 'Stop starting new work at the next safe point (in-flight work finishes)', async (h) => {
  const s = await h.executeUpdate(pauseUpdate);
  return `paused in phase ${s.phase}`;
});
const resumeCommand = simple('resume', 'Resume a paused migration', async (h) => {
  const s = await h.executeUpdate(resumeUpdate);
  return `resumed in phase ${s.phase}`;
});
const deployedCommand = simple('deployed', 'Tell a migration waiting at the deployment gate to check again now', async (h) => {
  await h.signal(deployedSignal);
  return 'signalled: the migration re-checks the consolidation bucket and user-data-storage table';
});
const cancelCommand = simple('cancel', 'Cancel a migration gracefully (in-flight activities are cancelled at their next heartbeat)', async (h) => {
  await h.cancel();
  return `cancellation requested for ${h.workflowId}`;
});

const statusCommand: CommandModule<object, DeploymentArgs & { 'workflow-id'?: string; watch?: boolean; json?: boolean }> = {
  command: 'status',
  describe: 'Phase, gate, users done/failed/remaining, conflicts (--watch to follow)',
  builder: (y) => withTarget(y).option('watch', { type: 'boolean' }).option('json', { type: 'boolean' }),
  handler: (args) =>
    withClient(async (client) => {
      const handle = handleFor(client, args);
      if (args.watch) {
        const print = (l: string) => console.log(`\n${l}`);
        const report = await describeOrExplain(() => followMigration(handle, print, undefined, watchView(process.stdout, print)));
        console.log(renderReport(report));
        process.exitCode = exitCodeFor(report);
        return;
      }
      const [status, description] = await describeOrExplain(() => Promise.all([handle.query(statusQuery), handle.describe()]));
      const closed = closedRun(status, description.status.name);
      if (args.json) console.log(JSON.stringify({ ...(closed?.status ?? status), execution: description.status.name }, null, 2));
      else console.log(closed ? `${closed.header}\n${renderStatus(closed.status)}` : renderStatus(status));
    }),
};

const planCommand: CommandModule<object, DeploymentArgs & { 'workflow-id'?: string; json?: boolean; strategy?: boolean }> = {
  command: 'plan',
  describe: 'The plan: every table and S3 source with its finder strategy (--strategy), or the counts the dry-run pass of a migration found',
  builder: (y) =>
    withTarget(y)
      .option('json', { type: 'boolean' })
      .option('strategy', { type: 'boolean', describe: 'how each table and source is read and rewritten, and what is not migrated (no Temporal needed)' }),
  handler: async (args) => {
    if (args.strategy) {
      const plan = describePlan();
      console.log(args.json ? JSON.stringify(plan, null, 2) : renderStrategy(plan));
      return;
    }
    await withClient(async (client) => {
      const handle = handleFor(client, args);
      const plan = await describeOrExplain(() => handle.query(planQuery));
      if (!plan) throw new CliError('the plan is not ready yet (the migration has not finished its dry-run pass); for the counts of a new run: start --dry-run --wait', EXIT.failed);
      const unknownUsers = unknownUsersFromMemo((await handle.describe()).memo);
      console.log(args.json ? JSON.stringify({ ...plan, ...(unknownUsers ? { unknownUsers } : {}) }, null, 2) : [renderTotals(plan), ...unknownUserWarnings(unknownUsers)].join('\n'));
    });
  },
};

const reportCommand: CommandModule<object, DeploymentArgs & { 'workflow-id'?: string; json?: boolean }> = {
  command: 'report',
  describe: 'The report of a finished migration (table, or --json)',
  builder: (y) => withTarget(y).option('json', { type: 'boolean' }),
  handler: (args) =>
    withClient(async (client) => {
      const handle = handleFor(client, args);
      const description = await describeOrExplain(() => handle.describe());
      const report: MigrationReport | undefined =
        description.status.name === 'COMPLETED' ? await handle.result() : await handle.query(reportQuery);
      if (!report) throw new CliError(`no report yet: the migration is ${description.status.name.toLowerCase()}`, EXIT.failed);
      // The id map's claim check is written even by a dry run: the report lists it (start put it in the memo).
      const claimCheck = typeof description.memo?.idMapClaimCheck === 'string' ? description.memo.idMapClaimCheck : undefined;
      const unknownUsers = unknownUsersFromMemo(description.memo);
      if (args.json) console.log(JSON.stringify({ ...report, ...(claimCheck ? { idMapClaimCheck: claimCheck } : {}), ...(unknownUsers ? { unknownUsers } : {}) }, null, 2));
      else {
        const written = claimCheck ? [`tool-owned object written: the id map's claim check ${claimCheck}`] : [];
        console.log([renderReport(report), ...unknownUserWarnings(unknownUsers), ...written].join('\n'));
      }
      process.exitCode = exitCodeFor(report);
    }),
};

const listCommand: CommandModule<object, { json?: boolean; all?: boolean }> = {
  command: 'list',
  describe: 'Migrations in this namespace, with their deployment, stage, phase and dry-run flag',
  builder: (y) => y.option('json', { type: 'boolean' }).option('all', { type: 'boolean', describe: 'include per-user and scan children' }),
  handler: (args) =>
    withClient(async (client) => {
      const rows: Record<string, string>[] = [];
      const query = args.all ? 'AmplifyDeployment IS NOT NULL' : 'WorkflowType = "migrationWorkflow"';
      for await (const wf of client.workflow.list({ query })) {
        const attrs = wf.typedSearchAttributes;
        rows.push({
          workflowId: wf.workflowId,
          status: wf.status.name,
          deployment: String(attrs.get(DEPLOYMENT_KEY) ?? ''),
          stage: String(attrs.get(STAGE_KEY) ?? ''),
          phase: String(wf.searchAttributes?.MigrationPhase?.[0] ?? ''),
          dryRun: String(attrs.get(DRY_RUN_KEY) ?? ''),
          started: wf.startTime.toISOString(),
        });
      }
      if (args.json) console.log(JSON.stringify(rows, null, 2));
      else for (const r of rows) console.log(`${r.workflowId}  ${r.status}  ${r.deployment}/${r.stage}  phase=${r.phase}  dryRun=${r.dryRun}  ${r.started}`);
    }),
};

const retryFailedCommand: CommandModule<object, StartArgs & { 'workflow-id'?: string }> = {
  command: 'retry-failed',
  describe: 'Start a new migration of only the users that failed in the last one (every step is idempotent)',
  builder: (y) =>
    withTarget(y)
      .option('auto-approve', { type: 'boolean' })
      .option('dont-backup', { type: 'boolean' })
      .option('wait', { type: 'boolean' }),
  handler: (args) =>
    withClient(async (client) => {
      const deployment = deploymentFromArgs(args);
      const previous: MigrationReport = await describeOrExplain(() => handleFor(client, args).result());
      const pairs = previous.users.failedUsers.map(({ oldId, newId }) => ({ oldId, newId }));
      if (pairs.length === 0) {
        console.log('no failed users in the last migration');
        return;
      }
      if (previous.users.failed > pairs.length) {
        console.log(`note: ${previous.users.failed} users failed, the report lists ${pairs.length}; retrying those`);
      }
      const handle = await startMigration(client, deployment, pairs, args, { log: (line) => console.log(line), workersPolling: await hasWorkers(client) });
      console.log(`retrying ${pairs.length} failed users; Web UI: ${webUiLink(handle.workflowId)}`);
      if (args.wait) {
        const report = await followMigration(handle, console.log);
        console.log(renderReport(report));
        process.exitCode = exitCodeFor(report);
      }
    }),
};

export const migrationCommands: CommandModule<object, never>[] = [
  startCommand,
  approveCommand,
  rejectCommand,
  pauseCommand,
  resumeCommand,
  deployedCommand,
  cancelCommand,
  statusCommand,
  planCommand,
  reportCommand,
  listCommand,
  retryFailedCommand,
] as unknown as CommandModule<object, never>[];
