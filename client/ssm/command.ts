/**
 * `amplify-migrate ssm populate|verify|diff`: Parameter Store population from the serverless
 * repository. These commands call the Parameter Store operations directly; no Temporal server is needed.
 */
import type { Argv, CommandModule } from 'yargs';
import { createParameterStore } from '../../activities/ssm';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { runDiff, runPopulate, runVerify, type CommandIo } from './run';

interface RepoArgs extends DeploymentArgs {
  repo: string;
  'var-file'?: string;
  json?: boolean;
  'include-template-services'?: boolean;
}

function withRepoArgs<T>(y: Argv<T>): Argv<T & RepoArgs> {
  return withDeploymentArgs(y)
    .option('repo', { type: 'string', demandOption: true, describe: 'root of the serverless repository (the folder holding the service folders and var/)' })
    .option('var-file', { type: 'string', describe: 'stage var file (default: {repo}/var/{stage}-var.yml)' })
    .option('json', { type: 'boolean', describe: 'print the result as JSON' })
    .option('include-template-services', {
      type: 'boolean',
      describe: 'also handle template services (example-service of amplify-lambda-python-base), which are not deployments and are skipped by default',
    }) as Argv<T & RepoArgs>;
}

/** Runs one command with real AWS clients and sets process.exitCode from its result. */
async function withIo(args: DeploymentArgs, run: (io: CommandIo, region: string) => Promise<number>): Promise<void> {
  const clients = createAwsClients({ region: args.region });
  try {
    const io: CommandIo = {
      ssm: createParameterStore(clients),
      out: (text) => console.log(text),
      err: (text) => console.error(text),
    };
    process.exitCode = await run(io, clients.region);
  } finally {
    destroyAwsClients(clients);
  }
}

function repoOptions(args: RepoArgs) {
  return {
    repo: args.repo,
    stage: args.stage,
    depName: args['dep-name'],
    varFile: args['var-file'],
    json: args.json,
    includeTemplateServices: args['include-template-services'],
  };
}

const populate: CommandModule<object, RepoArgs & { 'dry-run'?: boolean; concurrency?: number }> = {
  command: 'populate',
  describe: 'Write the shared and per-service parameters the services read (compare first; unchanged values are not rewritten)',
  builder: (y) =>
    withRepoArgs(y)
      .option('dry-run', { type: 'boolean', describe: 'read and compare only; write nothing' })
      .option('concurrency', { type: 'number', default: 4, describe: 'parameters compared or written at the same time' }),
  handler: (args) =>
    withIo(args, (io, region) => runPopulate({ ...repoOptions(args), dryRun: args['dry-run'], concurrency: args.concurrency, region }, io)),
};

const verify: CommandModule<object, RepoArgs> = {
  command: 'verify',
  describe: 'Check that every ${ssm:/amplify/...} parameter the services reference exists',
  builder: (y) => withRepoArgs(y),
  handler: (args) => withIo(args, (io) => runVerify(repoOptions(args), io)),
};

const diff: CommandModule<object, RepoArgs & { prune?: boolean; yes?: boolean }> = {
  command: 'diff',
  describe: 'Show what populate would change and list stale parameters (deleted only with --prune --yes)',
  builder: (y) =>
    withRepoArgs(y)
      .option('prune', { type: 'boolean', describe: 'delete the stale parameters (needs --yes)' })
      .option('yes', { type: 'boolean', describe: 'approve the deletion asked for by --prune' }),
  handler: (args) => withIo(args, (io) => runDiff({ ...repoOptions(args), prune: args.prune, yes: args.yes }, io)),
};

export const ssmCommand: CommandModule = {
  command: 'ssm <command>',
  describe: 'Parameter Store: populate, verify, diff',
  builder: (y) => y.command(populate).command(verify).command(diff).demandCommand(1, 'name an ssm command: populate, verify or diff'),
  handler: () => undefined,
};
