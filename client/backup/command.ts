/**
 * `amplify-migrate backup create|verify|user-storage|status|enable-pitr`
 * (docs/decisions/0008-backups-before-writes.md). These call the backup operations directly; no
 * Temporal server is needed.
 */
import type { Argv, CommandModule } from 'yargs';
import { createBackupOperations } from '../../activities/backup';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { createPreflightActivities } from '../../activities/preflight/activities';
import { DEFAULT_MAX_BACKUP_AGE_HOURS } from '../../activities/backup';
import type { Deployment } from '../../src/deployment/catalogue';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { parseTableKeys, runCreate, runEnablePitr, runStatus, runUserStorage, runVerify, type BackupIo } from './run';

interface CommonArgs extends DeploymentArgs {
  json?: boolean;
}

function withCommonArgs<T>(y: Argv<T>): Argv<T & CommonArgs> {
  return withDeploymentArgs(y).option('json', { type: 'boolean', describe: 'print the result as JSON' }) as Argv<T & CommonArgs>;
}

const tablesOption = {
  type: 'string',
  describe: 'comma-separated table config keys (e.g. ACCOUNTS_DYNAMO_TABLE,SHARES_DYNAMODB_TABLE); default: every existing catalogue table',
} as const;

/** Runs one command with real AWS clients. */
async function withIo(args: DeploymentArgs, run: (deployment: Deployment, io: BackupIo) => Promise<void>): Promise<void> {
  const deployment = deploymentFromArgs(args);
  const clients = createAwsClients({ region: args.region });
  try {
    const preflight = createPreflightActivities(clients);
    await run(deployment, {
      backup: createBackupOperations(clients),
      existingTables: async (tables) => (await preflight.describeTables(tables)).filter((t) => t.exists).map(({ key, name }) => ({ key, name })),
      out: (text) => console.log(text),
      now: () => new Date(),
    });
  } finally {
    destroyAwsClients(clients);
  }
}

const create: CommandModule<object, CommonArgs & { tables?: string; 'run-id'?: string; 'poll-seconds': number; 'timeout-minutes': number }> = {
  command: 'create',
  describe: 'Create on-demand DynamoDB backups named amplify-migrate-{dep}-{stage}-{run}-{table}, wait until AVAILABLE, print their ARNs',
  builder: (y) =>
    withCommonArgs(y)
      .option('tables', tablesOption)
      .option('run-id', { type: 'string', describe: 'run id in the backup names; the same id reuses existing backups (default: cli-{UTC timestamp})' })
      .option('poll-seconds', { type: 'number', default: 5, describe: 'time between status checks' })
      .option('timeout-minutes', { type: 'number', default: 60, describe: 'give up waiting for AVAILABLE after this long' }),
  handler: (args) =>
    withIo(args, (deployment, io) =>
      runCreate(
        {
          deployment,
          tables: parseTableKeys(deployment, args.tables),
          runId: args['run-id'],
          pollSeconds: args['poll-seconds'],
          timeoutSeconds: args['timeout-minutes'] * 60,
          json: args.json,
        },
        io,
      ),
    ),
};

const verify: CommandModule<object, CommonArgs & { tables?: string; 'max-age-hours': number }> = {
  command: 'verify',
  describe: 'Check that every existing table has an AVAILABLE amplify-migrate backup newer than --max-age-hours (non-zero exit naming those without)',
  builder: (y) =>
    withCommonArgs(y)
      .option('tables', tablesOption)
      .option('max-age-hours', { type: 'number', default: DEFAULT_MAX_BACKUP_AGE_HOURS, describe: 'oldest acceptable backup, in hours' }),
  handler: (args) =>
    withIo(args, (deployment, io) =>
      runVerify({ deployment, tables: parseTableKeys(deployment, args.tables), maxAgeHours: args['max-age-hours'], json: args.json }, io),
    ),
};

const userStorage: CommandModule<object, CommonArgs & { output?: string; s3?: string }> = {
  command: 'user-storage',
  describe: 'Export the old basic-ops user-storage table losslessly as DynamoDB JSON lines (file or S3); prints item count and sha256',
  builder: (y) =>
    withCommonArgs(y)
      .option('output', { type: 'string', describe: 'file to write (default: user-storage-{dep}-{stage}-{UTC timestamp}.jsonl)' })
      .option('s3', { type: 'string', describe: 'write to s3://bucket/key instead of a file' })
      .conflicts('output', 's3'),
  handler: (args) => withIo(args, (deployment, io) => runUserStorage({ deployment, output: args.output, s3: args.s3, json: args.json }, io)),
};

const status: CommandModule<object, CommonArgs> = {
  command: 'status',
  describe: 'Point-in-time recovery per table and versioning per bucket',
  builder: (y) => withCommonArgs(y),
  handler: (args) => withIo(args, (deployment, io) => runStatus({ deployment, json: args.json }, io)),
};

const enablePitr: CommandModule<object, DeploymentArgs & { tables?: string }> = {
  command: 'enable-pitr',
  describe: 'Enable point-in-time recovery on the existing tables (or --tables)',
  builder: (y) => withDeploymentArgs(y).option('tables', tablesOption),
  handler: (args) => withIo(args, (deployment, io) => runEnablePitr({ deployment, tables: parseTableKeys(deployment, args.tables) }, io)),
};

export const backupCommand: CommandModule = {
  command: 'backup <command>',
  describe: 'Backups: create, verify, user-storage export, status, enable-pitr',
  builder: (y) =>
    y
      .command(create)
      .command(verify)
      .command(userStorage)
      .command(status)
      .command(enablePitr)
      .demandCommand(1, 'name a backup command: create, verify, user-storage, status or enable-pitr'),
  handler: () => undefined,
};
