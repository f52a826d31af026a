#!/usr/bin/env node
/** amplify-migrate: the operator's command line. One module per command under client/commands. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CliError, EXIT } from './exitCodes';
import { COMMANDS, commandName, lazyCommands } from './commandIndex';
import { checkNumericFlags } from './numericFlags';

/**
 * yargs answers `--help` before it validates, so `unknown-command --help` printed the main
 * help and exited 0: a typo in a script looked like success. Name it and exit 2 instead.
 */
function assertKnownCommand(argv: string[]): void {
  // No global option takes a value, so the first word that is not an option is the command.
  const first = argv.find((a) => !a.startsWith('-'));
  if (first !== undefined && !COMMANDS.some((c) => commandName(c) === first)) {
    throw new CliError(`unknown command "${first}" (see amplify-migrate --help)`, EXIT.badInput);
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    assertKnownCommand(argv);
    await yargs(argv)
      .scriptName('amplify-migrate')
      // --no-id-change is a flag of its own (the legacy's name), not the negation of --id-change.
      .parserConfiguration({ 'boolean-negation': false })
      // Every numeric flag of every command is range-checked before the command runs (exit 2).
      .middleware(checkNumericFlags(argv))
      // Each command's module loads only when that command runs (start-up time).
      .command(lazyCommands())
      .demandCommand(1, 'name a command (see --help)')
      .strict()
      .strictCommands()
      .help()
      .fail((msg, err) => {
        // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"): errors are one line.
        throw err ?? new CliError(msg.replace(/\s*\n\s*/g, ' '), EXIT.badInput);
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`amplify-migrate: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    // Loaded here, not at start-up: it pulls in the Temporal SDK's failure types.
    const { describeFatalAwsError } = require('../activities/aws/errors') as typeof import('../activities/aws/errors');
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
