/**
 * bin/amplify-migrate starts a worker with the memory settings of worker/memory.ts (issue 9),
 * which the bench's worker is measured with. The script runs for real, with a stand-in `node`
 * first on PATH that prints the arguments and arena setting it was started with.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKER_HEAP_MIB, WORKER_MALLOC_ARENAS } from '../../../worker/memory';

const script = path.join(__dirname, '..', '..', '..', 'bin', 'amplify-migrate');

/** A copy of the project's bin/ beside a dist/client/cli.js, and a `node` that reports how it was started. */
function sandbox(): { root: string; bin: string; pathDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'bin-memory-'));
  mkdirSync(path.join(root, 'bin'));
  mkdirSync(path.join(root, 'dist', 'client'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'client', 'cli.js'), '');
  const bin = path.join(root, 'bin', 'amplify-migrate');
  copyFileSync(script, bin);
  chmodSync(bin, 0o755);
  const pathDir = path.join(root, 'fake');
  mkdirSync(pathDir);
  writeFileSync(path.join(pathDir, 'node'), '#!/usr/bin/env bash\necho "arenas=${MALLOC_ARENA_MAX:-unset}"\nfor a in "$@"; do echo "arg=$a"; done\n');
  chmodSync(path.join(pathDir, 'node'), 0o755);
  return { root, bin, pathDir };
}

function run(args: string[], env: Record<string, string> = {}) {
  const { root, bin, pathDir } = sandbox();
  const { MALLOC_ARENA_MAX: _arenas, NODE_OPTIONS: _options, AMPLIFY_MIGRATE_WORKER_HEAP_MIB: _heap, ...inherited } = process.env;
  const result = spawnSync('bash', [bin, ...args], { env: { ...inherited, PATH: `${pathDir}:${process.env.PATH}`, ...env }, encoding: 'utf8' });
  rmSync(root, { recursive: true, force: true });
  const lines = result.stdout.split('\n').filter(Boolean);
  return {
    status: result.status,
    stderr: result.stderr,
    arenas: lines.find((l) => l.startsWith('arenas='))?.slice('arenas='.length),
    args: lines.filter((l) => l.startsWith('arg=')).map((l) => path.basename(l.slice('arg='.length))),
  };
}

describe('bin/amplify-migrate: a worker runs with a bounded heap and two malloc arenas', () => {
  it('worker: --max-old-space-size and MALLOC_ARENA_MAX from worker/memory.ts', () => {
    expect(run(['worker', '--max-concurrent-activities', '8'])).toEqual({
      status: 0,
      stderr: '',
      arenas: String(WORKER_MALLOC_ARENAS),
      args: [`--max-old-space-size=${WORKER_HEAP_MIB}`, 'cli.js', 'worker', '--max-concurrent-activities', '8'],
    });
  });

  it("the operator's settings win: AMPLIFY_MIGRATE_WORKER_HEAP_MIB, 0 for Node's default, NODE_OPTIONS, MALLOC_ARENA_MAX", () => {
    expect(run(['worker'], { AMPLIFY_MIGRATE_WORKER_HEAP_MIB: '1536', MALLOC_ARENA_MAX: '4' })).toMatchObject({ arenas: '4', args: ['--max-old-space-size=1536', 'cli.js', 'worker'] });
    expect(run(['worker'], { AMPLIFY_MIGRATE_WORKER_HEAP_MIB: '0' })).toMatchObject({ status: 0, args: ['cli.js', 'worker'] });
    expect(run(['worker'], { NODE_OPTIONS: '--max-old-space-size=2048' })).toMatchObject({ status: 0, args: ['cli.js', 'worker'] });
  });

  it('other commands run with Node as it is', () => {
    expect(run(['status', '--stage', 'dev'])).toEqual({ status: 0, stderr: '', arenas: 'unset', args: ['cli.js', 'status', '--stage', 'dev'] });
  });

  it('a heap size that is not one: exit 2, the value named, node never started', () => {
    for (const bad of ['512m', '-1', '32', '']) {
      const result = run(['worker'], { AMPLIFY_MIGRATE_WORKER_HEAP_MIB: bad });
      if (bad === '') {
        // Empty is unset: the default applies.
        expect(result).toMatchObject({ status: 0, args: [`--max-old-space-size=${WORKER_HEAP_MIB}`, 'cli.js', 'worker'] });
        continue;
      }
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`amplify-migrate: AMPLIFY_MIGRATE_WORKER_HEAP_MIB="${bad}" is not a heap size: give MiB (64 or more), or 0 for Node's default\n`);
      expect(result.args).toEqual([]);
    }
  });
});
