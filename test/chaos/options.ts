/** The chaos run's knobs, shared by `npm run chaos` and the CI test. */
import type { Scenario } from '../../src/seed';

export interface ChaosOptions {
  users: number;
  /** Worker SIGKILLs (process group), each followed at once by a new worker. */
  kills: number;
  /** Probability that one AWS request of a worker is faulted (split over the fault kinds). */
  faultRate: number;
  scenario: Scenario;
  /** SIGKILL the Temporal dev server once mid-run and restart it on the same database and port. */
  temporalRestart: boolean;
  /** Run the live-app writer during the chaos run. */
  writer: boolean;
  /**
   * The writer also creates accounts records at new keys (conflicts for the migration when
   * they land before the user's move). Off: only writes that can never conflict.
   */
  writerConflicts: boolean;
  /** Seeds the sample deployment, the fault draws, the kill points and the writer. */
  seed: number;
  /** Per-user sliding window of the migration (start --concurrency). */
  concurrency: number;
  /**
   * Where DynamoDB runs: moto, or dynoxide beside moto (DynamoDB's cost shape, for the larger
   * populations moto's quadratic tables make too slow). dynoxide has no backups: runs skip them.
   */
  dynamodb: 'moto' | 'dynoxide';
}

export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  users: 40,
  kills: 3,
  faultRate: 0.05,
  scenario: 'A',
  temporalRestart: false,
  writer: false,
  writerConflicts: true,
  seed: 1,
  concurrency: 4,
  dynamodb: 'moto',
};

/** `--users N --kills K --fault-rate P [--scenario A|B] [--temporal-restart] [--writer] [--no-writer-conflicts] [--seed S] [--concurrency C] [--dynamodb moto|dynoxide]`. */
export function parseChaosArgs(argv: readonly string[]): ChaosOptions {
  const options = { ...DEFAULT_CHAOS_OPTIONS };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  const number = (i: number, flag: string, min: number, max: number, integer: boolean): number => {
    const n = Number(value(i, flag));
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new Error(`${flag}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${argv[i + 1]}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--users':
        options.users = number(i++, flag, 1, 100_000, true);
        break;
      case '--kills':
        options.kills = number(i++, flag, 0, 1000, true);
        break;
      case '--fault-rate':
        options.faultRate = number(i++, flag, 0, 0.9, false);
        break;
      case '--scenario': {
        const s = value(i++, flag);
        if (s !== 'A' && s !== 'B') throw new Error(`--scenario: expected A or B, got "${s}"`);
        options.scenario = s;
        break;
      }
      case '--seed':
        options.seed = number(i++, flag, 0, 2 ** 31, true);
        break;
      case '--concurrency':
        options.concurrency = number(i++, flag, 1, 1000, true);
        break;
      case '--temporal-restart':
        options.temporalRestart = true;
        break;
      case '--writer':
        options.writer = true;
        break;
      case '--dynamodb': {
        const d = value(i++, flag);
        if (d !== 'moto' && d !== 'dynoxide') throw new Error(`--dynamodb: expected moto or dynoxide, got "${d}"`);
        options.dynamodb = d;
        break;
      }
      case '--no-writer-conflicts':
        options.writerConflicts = false;
        break;
      default:
        throw new Error(`unknown argument "${flag}"`);
    }
  }
  return options;
}
