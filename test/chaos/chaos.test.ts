/**
 * The CI version of the chaos suite (issue 15 §2): 5 users, scenario A, 5% AWS faults
 * between the workers and the emulator, 2 worker SIGKILLs (each replaced at once) and a
 * live-app writer, on the shared test stack. `npm run chaos` is the full version (more
 * users and kills, a Temporal restart, the writer's conflicting writes).
 *
 * Deterministic seed; no timed assertions: the recovery times are printed, not asserted.
 * The writer's conflicting writes (accounts records created at new keys) are left out here
 * because a conflict currently ends the run "failed" instead of "succeeded-with-conflicts"
 * (see test/chaos/README.md); `npm run chaos -- --writer` exercises them.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../client/stack/localStack';
import { DEFAULT_CHAOS_OPTIONS, type ChaosOptions } from './options';
import { renderChaos } from './render';
import { runChaos, type ChaosResult } from './run';

jest.setTimeout(40 * 60_000);

const OPTIONS: ChaosOptions = {
  ...DEFAULT_CHAOS_OPTIONS,
  users: 5,
  kills: 2,
  faultRate: 0.05,
  scenario: 'A',
  writer: true,
  writerConflicts: false,
  seed: 15,
  concurrency: 4,
};

describe('chaos: AWS faults, killed workers and a live writer during a migration', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    const id = randomBytes(3).toString('hex');
    const logDir = path.join(PROJECT_ROOT, '.stack', 'test-logs', `chaos-${id}`);
    result = await runChaos(OPTIONS, {
      awsEndpoint: process.env.AWS_ENDPOINT_URL!,
      temporal: { address: process.env.TEMPORAL_ADDRESS! },
      taskQueue: `chaos-${id}`,
      logDir,
    });
    // The whole result (differences included) next to the processes' logs, for reading a failure.
    writeFileSync(path.join(logDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${renderChaos(result)}\nlogs and result.json in ${path.relative(PROJECT_ROOT, logDir)}\n`);
  });

  it('injected every fault kind and killed the workers', () => {
    expect(result.faults.throttle).toBeGreaterThan(0);
    expect(result.faults.errorBefore).toBeGreaterThan(0);
    expect(result.faults.errorAfter).toBeGreaterThan(0);
    expect(result.kills).toHaveLength(OPTIONS.kills);
    expect(result.workersStarted).toBe(OPTIONS.kills + 1);
  });

  it('ends in the clean run’s end state, except for what the writer wrote', () => {
    expect(result.details.endStateDiff ?? {}).toEqual({});
    expect(result.endStateDifference).toBe(0);
  });

  it('keeps every write of the live writer where the services read it', () => {
    expect(result.writer?.errors).toEqual([]);
    expect(result.writer?.missing).toEqual([]);
    expect(Object.values(result.writer?.writes ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('ends with its true outcome and exit code', () => {
    expect(result.clean).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(result.chaos).toMatchObject({ outcome: 'succeeded', exitCode: 0, users: { total: OPTIONS.users, done: OPTIONS.users, failed: 0 } });
  });

  it('a second run writes nothing', () => {
    expect(result.secondRun).toMatchObject({ writes: 0, changed: 0, exitCode: 0 });
    expect(result.details.secondRunChanges ?? {}).toEqual({});
  });

  it('made progress after every kill, and every property held', () => {
    expect(result.kills.filter((k) => k.toProgressSeconds === undefined)).toEqual([]);
    expect(result.problems).toEqual([]);
  });
});
