/** The CLI process: version, help, and a mistyped command named with exit 2 (not main help, exit 0). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';

describe('amplify-migrate commands', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([[['unknown-command', '--help']], [['unknown-command']], [['--help', 'unknown-command']]])('%j exits 2 naming the unknown command', async (args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('amplify-migrate: unknown command "unknown-command" (see amplify-migrate --help)');
  });

  it('a known command still has its own --help', async () => {
    const r = await runCli(['worker', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('amplify-migrate worker');
    expect(r.stdout).toContain('--shutdown-grace-seconds');
  });

  it('no command at all asks for one, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name a command');
  });
});
