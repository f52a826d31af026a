/**
 * Every numeric flag of every command, checked in one place before a command runs: yargs
 * turns `abc` into NaN and accepts 0 or -1, and a run started with `--concurrency 0`
 * waits forever while `--scan-segments 0` silently plans no scanned table. A value out of
 * range is bad input (exit 2), named with what the operator typed and what is allowed.
 */
import { CliError } from './exitCodes';

interface NumericRule {
  integer: boolean;
  min: number;
  /** Inclusive unless `exclusiveMin`. */
  exclusiveMin?: boolean;
  max?: number;
}

const count = (min: number, max?: number): NumericRule => ({ integer: true, min, max });
const positiveRate: NumericRule = { integer: false, min: 0, exclusiveMin: true };

/**
 * Flag name → rule. The same name means the same kind of value in every command (a
 * `--concurrency` is always a count of things in flight). Upper bounds say where a value
 * stops being a setting and becomes a mistake: 1,000 users or segments in flight already
 * exceed what one deployment's tables and one parent workflow's history should carry.
 */
export const NUMERIC_FLAGS: Readonly<Record<string, NumericRule>> = {
  concurrency: count(1, 1000),
  'scan-segments': count(1, 1000),
  'max-concurrent-activities': count(1, 10_000),
  // The SDK needs two workflow task slots (one for sticky, one for the normal queue).
  'max-concurrent-workflow-tasks': count(2, 10_000),
  'task-queue-activities-per-second': positiveRate,
  'activities-per-second': positiveRate,
  // 0 cancels in-flight activities at once; an hour is longer than any deploy waits for a worker.
  'shutdown-grace-seconds': count(0, 3600),
  users: count(1, 1_000_000),
  'items-per-user': count(0, 100_000),
  'objects-per-user': count(0, 100_000),
  'object-bytes': count(0, 5 * 1024 ** 3),
  seed: count(0, Number.MAX_SAFE_INTEGER),
  'poll-seconds': positiveRate,
  'timeout-minutes': positiveRate,
  'max-age-hours': positiveRate,
  'temporal-port': count(1, 65_535),
};

function allowed(rule: NumericRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (rule.exclusiveMin && rule.max === undefined) return `${kind} above ${rule.min}`;
  if (rule.max === undefined || rule.max === Number.MAX_SAFE_INTEGER) return `${kind} of at least ${rule.min}`;
  return `${kind} from ${rule.min} to ${rule.max.toLocaleString('en-US')}`;
}

function violates(value: number, rule: NumericRule): boolean {
  if (!Number.isFinite(value)) return true;
  if (rule.integer && !Number.isInteger(value)) return true;
  if (rule.exclusiveMin ? value <= rule.min : value < rule.min) return true;
  return rule.max !== undefined && value > rule.max;
}

/** What the operator typed for a flag (yargs has already turned `abc` into NaN). */
function typed(rawArgs: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < rawArgs.length; i++) {
    if (rawArgs[i] === `--${flag}`) return rawArgs[i + 1];
    if (rawArgs[i].startsWith(`--${flag}=`)) return rawArgs[i].slice(flag.length + 3);
  }
  return undefined;
}

function given(rawArgs: readonly string[], flag: string): boolean {
  return rawArgs.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
}

/** A yargs middleware

: throws a one-line CliError (exit 2) for the first numeric flag out of range. */
export function checkNumericFlags(rawArgs: readonly string[]): (argv: Record<string, unknown>) => void {
  return (argv) => {
    for (const [flag, rule] of Object.entries(NUMERIC_FLAGS)) {
      const value = argv[flag];
      if (value === undefined) {
        // yargs leaves a number flag given without a value undefined, which would mean "default".
        if (given(rawArgs, flag)) throw new CliError(`--${flag} needs a value: ${allowed(rule)}`);
        continue;
      }
      if (Array.isArray(value)) throw new CliError(`--${flag} is given ${value.length} times: give it once`);
      if (typeof value !== 'number' || violates(value, rule)) {
        const shown = typed(rawArgs, flag) ?? String(value);
        throw new CliError(`--${flag} must be ${allowed(rule)}, not ${JSON.stringify(shown)}`);
      }
    }
  };
}
