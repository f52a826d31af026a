/** `amplify-migrate seed`: fills an emulator (or a sandbox account) with a sample legacy deployment. */
import { writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { CliError } from '../exitCodes';
import { BUCKET_KEYS, TABLE_KEYS } from '../../src/deployment/catalogue';
import { generateSampleDeployment, toCsv, type Scenario } from '../../src/seed';
import { seedSampleDeployment, writeServerlessRepo } from './seed';

interface SeedArgs extends DeploymentArgs {
  users: number;
  'items-per-user': number;
  'objects-per-user': number;
  'object-bytes': number;
  seed: number;
  scenario: string;
  csv?: string;
  'without-targets'?: boolean;
  'basic-ops-stack'?: boolean;
  'serverless-repo'?: string;
  concurrency: number;
  'real-aws'?: boolean;
}

const sum = (counts: Partial<Record<string, number>>) => Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);

export const seedCommand: CommandModule<object, SeedArgs> = {
  command: 'seed',
  describe: 'Create a sample legacy deployment (tables, buckets, data, user pool) and its id CSV',
  builder: (y) =>
    withDeploymentArgs(y)
      .option('users', { type: 'number', default: 50, describe: 'users in the CSV' })
      .option('items-per-user', { type: 'number', default: 3, describe: 'rows per user in the many-rows tables' })
      .option('objects-per-user', { type: 'number', default: 3, describe: 'objects per user in each per-user legacy bucket layout' })
      .option('object-bytes', { type: 'number', default: 2048, describe: 'body size of the bulk legacy objects' })
      .option('seed', { type: 'number', default: 1, describe: 'PRNG seed: the same seed gives the same deployment' })
      .option('scenario', { type: 'string', default: 'A', choices: ['A', 'B'], describe: 'A: ids change to immutable usernames; B: ids stay' })
      .option('csv', { type: 'string', describe: 'write the old_id,new_id CSV for the population here' })
      .option('without-targets', { type: 'boolean', describe: 'leave out the consolidation bucket and user-data-storage table' })
      .option('basic-ops-stack', { type: 'boolean', describe: 'also create the basic-ops CloudFormation stack holding /user-data' })
      .option('serverless-repo', { type: 'string', describe: 'copy the sample serverless repository (for the Parameter Store step) here' })
      .option('concurrency', { type: 'number', default: 8, describe: 'requests in flight at once' })
      .option('real-aws', { type: 'boolean', describe: 'allow seeding without AWS_ENDPOINT_URL, i.e. into a real (sandbox!) account' }),
  handler: async (args) => {
    const deployment = deploymentFromArgs(args);
    // Sample data written into a real deployment's tables would mix with user data.
    if (!process.env.AWS_ENDPOINT_URL && !args['real-aws']) {
      throw new CliError('no AWS_ENDPOINT_URL set: seed an emulator, or pass --real-aws to seed a sandbox account on purpose');
    }
    for (const name of ['users', 'items-per-user', 'objects-per-user', 'object-bytes', 'concurrency'] as const) {
      if (!Number.isInteger(args[name]) || args[name] < 0) throw new CliError(`--${name} must be a non-negative integer`);
    }
    if (!Number.isInteger(args.seed)) throw new CliError('--seed must be an integer');
    const description = generateSampleDeployment({
      users: args.users,
      itemsPerUser: args['items-per-user'],
      objectsPerUser: args['objects-per-user'],
      objectBytes: args['object-bytes'],
      seed: args.seed,
      scenario: args.scenario as Scenario,
      deployment,
    });
    const clients = createAwsClients({ region: args.region });
    try {
      const result = await seedSampleDeployment(clients, deployment, description, {
        concurrency: Math.max(1, args.concurrency),
        withoutTargets: args['without-targets'],
        withBasicOpsStack: args['basic-ops-stack'],
      });
      console.log(`seeded ${deployment.depName}/${deployment.stage} (scenario ${args.scenario}, seed ${args.seed})`);
      console.log(`  users in CSV: ${description.users.length}, outsiders: ${description.outsiders.length}`);
      console.log(`  items: ${sum(result.itemsWritten)} in ${Object.keys(result.itemsWritten).length} tables`);
      for (const table of TABLE_KEYS) if (result.itemsWritten[table]) console.log(`    ${table}: ${result.itemsWritten[table]}`);
      console.log(`  objects: ${sum(result.objectsWritten)} in ${Object.keys(result.objectsWritten).length} buckets`);
      for (const bucket of BUCKET_KEYS) if (result.objectsWritten[bucket]) console.log(`    ${bucket}: ${result.objectsWritten[bucket]}`);
      if (result.userPoolId) console.log(`  user pool: ${result.userPoolId} (${result.cognitoUsers.length} users)`);
      if (result.basicOpsStack) console.log(`  basic-ops stack: ${result.basicOpsStack}`);
      if (args.csv) {
        await writeFile(args.csv, toCsv(description.users), 'utf8');
        console.log(`  CSV: ${args.csv}`);
      }
      if (args['serverless-repo']) console.log(`  serverless repo: ${await writeServerlessRepo(args['serverless-repo'])}`);
    } finally {
      destroyAwsClients(clients);
    }
  },
};
