import { writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { createAwsClients } from '../../activities/aws/clients';
import { serializeIdMapCsv } from '../../src/idmap/csv';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { generateIdMap, readIdMapCsv, type IdMapArgs } from '../idMapInput';
import { CliError } from '../exitCodes';

type GenerateArgs = DeploymentArgs & IdMapArgs & { output?: string; force?: boolean };

const generate: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Generate the old_id,new_id map from live data (--no-id-change or --use-sub)',
  builder: (y) =>
    withDeploymentArgs(y)
      .option('no-id-change', { type: 'boolean', describe: 'every user of the cognito-users table mapped to itself (scenario B)' })
      .option('use-sub', { type: 'boolean', describe: 'the user pool: email → sub (scenario A)' })
      .option('user-pool-id', { type: 'string', describe: 'user pool for --use-sub (default: COGNITO_USER_POOL_ID or the var file)' })
      .option('repo', { type: 'string', describe: 'serverless repository root, to read COGNITO_USER_POOL_ID from its var file' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the CSV here (default: print it)' })
      .option('force', { type: 'boolean', describe: 'overwrite an existing --output file' }),
  handler: async (args) => {
    if (!args['no-id-change'] && !args['use-sub']) throw new CliError('choose --no-id-change or --use-sub');
    const deployment = deploymentFromArgs(args);
    const { pairs, notes } = await generateIdMap(args, createAwsClients(), deployment);
    const csv = serializeIdMapCsv(pairs);
    for (const note of notes) console.error(note);
    if (!args.output) {
      process.stdout.write(csv);
      return;
    }
    try {
      await writeFile(args.output, csv, { flag: args.force ? 'w' : 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${args.output} exists: pass --force to overwrite it`);
      throw err;
    }
    console.error(`wrote ${pairs.length} rows to ${args.output}`);
  },
};

const validate: CommandModule<object, { file: string; 'allow-chains'?: boolean; 'ignore-extra-columns'?: boolean }> = {
  command: 'validate <file>',
  describe: 'Check an old_id,new_id CSV (every problem named by line)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true })
      .option('allow-chains', { type: 'boolean' })
      .option('ignore-extra-columns', { type: 'boolean', describe: 'read only old_id and new_id, with a warning naming the other columns' }),
  handler: async (args) => {
    const { pairs, notes } = await readIdMapCsv(args.file, { allowChains: args['allow-chains'], ignoreExtraColumns: args['ignore-extra-columns'] });
    for (const note of notes) console.error(note);
    const changing = pairs.filter((p) => p.oldId !== p.newId).length;
    console.log(`${args.file}: ${pairs.length} users, ${changing} change id, ${pairs.length - changing} keep it`);
  },
};

export const csvCommand: CommandModule = {
  command: 'csv <command>',
  describe: 'Generate or validate the user id map',
  builder: (y) => y.command(generate).command(validate).demandCommand(1),
  handler: () => undefined,
};
