/** The lazy command list names and describes exactly what the command modules define. */
import { COMMANDS, commandName } from '../../client/commandIndex';
import { migrationCommands } from '../../client/commands/migration';

describe('client/commandIndex', () => {
  it.each(COMMANDS.map((c) => [c.command, c] as const))('%s matches its module', (_name, entry) => {
    const loaded = entry.load();
    expect(loaded.command).toBe(entry.command);
    expect(loaded.describe).toBe(entry.describe);
  });

  it('lists every migration command and no name twice', () => {
    const names = COMMANDS.map(commandName);
    expect(new Set(names).size).toBe(names.length);
    for (const c of migrationCommands) expect(names).toContain(String(c.command));
  });
});
