/**
 * The top-level commands, loaded on demand. Each command module pulls in the AWS SDK, the
 * Temporal client or the Temporal worker; loading all of them took over a second, which every
 * `--version`, `--help` and scripted `status` paid. Here each command is its name and
 * description only; its module is required when yargs runs its builder, i.e. when that
 * command was typed. test/unit/commandIndex.test.ts checks these against the modules.
 */
import type { Argv, CommandModule } from 'yargs';

/** Commands of differing argument types, as yargs takes them in a list. */
export type AnyCommand = CommandModule<object, never>;

export interface CommandEntry {
  /** The module's `command` string (with positionals, e.g. `csv <command>`). */
  command: string;
  describe: string;
  load(): AnyCommand;
}

// `require`, not `import()`: yargs calls builders synchronously.
const migration = (name: string) => (): AnyCommand => {
  const { migrationCommands } = require('./commands/migration') as typeof import('./commands/migration');
  const found = migrationCommands.find((c) => c.command === name);
  if (!found) throw new Error(`no migration command ${name}`);
  return found;
};
/** Each module types its own arguments; in the list they are all commands of `object`. */
const single = (command: object): AnyCommand => command as AnyCommand;

export const COMMANDS: readonly CommandEntry[] = [
  {
    command: 'preflight',
    describe: 'Check a deployment before a migration: identity, tables, buckets, the basic-ops stack',
    load: () => single((require('./commands/preflight') as typeof import('./commands/preflight')).preflightCommand),
  },
  {
    command: 'worker',
    describe: 'Run a worker (any number may share the task queue, on any hosts)',
    load: () => single((require('./commands/worker') as typeof import('./commands/worker')).workerCommand),
  },
  { command: 'start', describe: 'Start the migration of a deployment (plan first; writes only after approval)', load: migration('start') },
  { command: 'approve', describe: 'Approve the gate a migration is waiting at', load: migration('approve') },
  { command: 'reject', describe: 'Reject the gate a migration is waiting at (the migration stops, nothing more is written)', load: migration('reject') },
  { command: 'pause', describe: 'Stop starting new work at the next safe point (in-flight work finishes)', load: migration('pause') },
  { command: 'resume', describe: 'Resume a paused migration', load: migration('resume') },
  { command: 'deployed', describe: 'Tell a migration waiting at the deployment gate to check again now', load: migration('deployed') },
  { command: 'cancel', describe: 'Cancel a migration gracefully (in-flight activities are cancelled at their next heartbeat)', load: migration('cancel') },
  { command: 'status', describe: 'Phase, gate, users done/failed/remaining, conflicts (--watch to follow)', load: migration('status') },
  {
    command: 'plan',
    describe: 'The plan: every table and S3 source with its finder strategy (--strategy), or the counts the dry-run pass of a migration found',
    load: migration('plan'),
  },
  { command: 'report', describe: 'The report of a finished migration (table, or --json)', load: migration('report') },
  { command: 'list', describe: 'Migrations in this namespace, with their deployment, stage, phase and dry-run flag', load: migration('list') },
  {
    command: 'retry-failed',
    describe: 'Start a new migration of only the users that failed in the last one (every step is idempotent)',
    load: migration('retry-failed'),
  },
  {
    command: 'revert [action]',
    describe: 'Undo a migration run from its ledger: plan, approval, conditional undo (approve|reject|pause|resume|status answer a running revert)',
    load: () => single((require('./commands/revert') as typeof import('./commands/revert')).revertCommand),
  },
  {
    command: 'csv <command>',
    describe: 'Generate or validate the user id map',
    load: () => single((require('./commands/csv') as typeof import('./commands/csv')).csvCommand),
  },
  {
    command: 'ssm <command>',
    describe: 'Parameter Store: populate, verify, diff',
    load: () => single((require('./ssm/command') as typeof import('./ssm/command')).ssmCommand),
  },
  {
    command: 'backup <command>',
    describe: 'Backups: create, verify, user-storage export, status, enable-pitr',
    load: () => single((require('./backup/command') as typeof import('./backup/command')).backupCommand),
  },
  {
    command: 'seed',
    describe: 'Create a sample legacy deployment (tables, buckets, data, user pool) and its id CSV',
    load: () => single((require('./seed/command') as typeof import('./seed/command')).seedCommand),
  },
  {
    command: 'stack',
    describe: 'Run the embedded local stack (moto server + Temporal dev server with its Web UI) until Ctrl-C',
    load: () => single((require('./commands/stack') as typeof import('./commands/stack')).stackCommand),
  },
];

/** The first word of a command string: what an operator types. */
export const commandName = (entry: Pick<CommandEntry, 'command'>): string => entry.command.split(' ')[0];

/** A command that registers under its own name and description, and loads its module when used. */
export function lazyCommand(entry: CommandEntry): AnyCommand {
  let loaded: AnyCommand | undefined;
  const load = () => (loaded ??= entry.load());
  return {
    command: entry.command,
    describe: entry.describe,
    builder: (y: Argv<object>) => {
      const { builder } = load();
      if (typeof builder === 'function') return builder(y);
      return builder ? y.options(builder) : y;
    },
    handler: (args) => load().handler(args),
  } as AnyCommand;
}

export const lazyCommands = (): AnyCommand[] => COMMANDS.map(lazyCommand);
