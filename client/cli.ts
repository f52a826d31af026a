#!/usr/bin/env node
/** amplify-migrate: the operator's command line. One module per command under client/commands. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CliError, EXIT } from './exitCodes';
import { describeFatalAwsError } from '../activities/aws/errors';
import { preflightCommand } from './commands/preflight';
import { workerCommand } from './commands/worker';
import { stackCommand } from './commands/stack';
import { csvCommand } from './commands/csv';
import { migrationCommands } from './commands/migration';
import { ssmCommand } from './ssm/command';
import { backupCommand } from './backup/command';
import { seedCommand } from './seed/command';
import { checkNumericFlags } from './numericFlags';

export async function main(argv: string[]): Promise<void> {
  try {
    await yargs(argv)
      .scriptName('amplify-migrate')
      // --no-id-change is a flag of its own (the legacy's name), not the negation of --id-change.
      .parserConfiguration({ 'boolean-negation': false })
      // Every numeric flag of every command is range-checked before the command runs (exit 2).
      .middleware(checkNumericFlags(argv))
      .command(preflightCommand)
      .command(workerCommand)
      .command(migrationCommands)
      .command(csvCommand)
      .command(ssmCommand)
      .command(backupCommand)
      .command(seedCommand)
      .command(stackCommand)
      .demandCommand(1, 'name a command (see --help)')
      .strict()
      .help()
      .fail((msg, err) => {
        throw err ?? new CliError(msg, EXIT.badInput);
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`amplify-migrate: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    const fatal = describeFatalAwsError(err);
    if (fatal) {
      console.error(`amplify-migrate: ${fatal}`);
      process.exitCode = EXIT.failed;
      return;
    }
    console.error(`amplify-migrate: unexpected error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.AMPLIFY_MIGRATE_DEBUG) console.error(err);
    process.exitCode = EXIT.failed;
  }
}

if (require.main === module) {
  void main(hideBin(process.argv));
}
