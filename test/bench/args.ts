/** Command-line flags of the benchmark. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { WORKER_HEAP_MIB } from '../../worker/memory';

export interface BenchArgs {
  users: number;
  itemsPerUser: number;
  objectsPerUser: number;
  objectBytes: number;
  /** Requests in flight while seeding. */
  concurrency: number;
  userConcurrency: number;
  scanSegments: number;
  /** Activity slots of the worker the benchmark hosts. */
  workerActivities: number;
  /** Copies in flight in the raw CopyObject micro-benchmark. */
  copyConcurrency: number;
  copyObjects: number;
  seed: number;
  scenario: 'A' | 'B';
  quick: boolean;
  depName: string;
  stage: string;
  results: string;
  /** Where DynamoDB runs: moto (the demo stack) or dynoxide (DynamoDB's cost shape, for scale). */
  dynamodb: 'moto' | 'dynoxide';
  /** Count every AWS request by operation through a proxy (a few % slower). */
  countRequests: boolean;
  /** In-region AWS round trips added by the counting proxy (5 ms per DynamoDB call, 20 ms per S3 call). */
  latency: boolean;
  /** Measure the floor after the migration (at 10,000 users it takes about a fifth of the migration's time). */
  floor: boolean;
  /** The worker process's V8 old-space limit in MiB (the worker command's by default); 0: Node's default for the machine. */
  workerHeapMib: number;
}

const QUICK_USERS = 100;

export function parseBenchArgs(argv: string[] = hideBin(process.argv)): BenchArgs {
  const parsed = yargs(argv)
    .scriptName('npm run bench --')
    .usage('$0 [--quick] [--users N] ...: seeds a sample deployment (scenario A unless --scenario B), migrates it, prints the figures of issues 3, 4 and 6')
    .option('quick', { type: 'boolean', default: false, describe: `a fast sanity run with ${QUICK_USERS} users (unless --users is given)` })
    .option('users', { type: 'number', describe: 'users in the CSV (default 1000, or 100 with --quick)' })
    .option('items-per-user', { type: 'number', default: 3, describe: 'rows per user in the many-rows tables' })
    .option('objects-per-user', { type: 'number', default: 3, describe: 'objects per user in each per-user legacy bucket layout' })
    .option('object-bytes', { type: 'number', default: 2048, describe: 'body size of the bulk legacy objects' })
    .option('concurrency', { type: 'number', default: 16, describe: 'requests in flight while seeding' })
    .option('user-concurrency', { type: 'number', default: 50, describe: 'per-user child workflows in flight (the sliding window)' })
    .option('scan-segments', { type: 'number', default: 4, describe: 'parallel scan segments per scanned table' })
    .option('worker-activities', { type: 'number', default: 20, describe: "the worker's maxConcurrentActivityTaskExecutions" })
    .option('copy-concurrency', { type: 'number', describe: 'CopyObject calls in flight in the raw micro-benchmark (default: --worker-activities)' })
    .option('copy-objects', { type: 'number', default: 500, describe: 'objects the raw CopyObject micro-benchmark copies' })
    .option('seed', { type: 'number', default: 1, describe: 'PRNG seed of the sample deployment' })
    .option('scenario', { type: 'string', choices: ['A', 'B'], default: 'A', describe: 'A: ids change; B: same id on both sides' })
    .option('dep-name', { type: 'string', default: 'bench', describe: 'deployment name (the stack is fresh, so no collision)' })
    .option('stage', { type: 'string', default: 'dev' })
    .option('dynamodb', { type: 'string', choices: ['moto', 'dynoxide'], default: 'moto', describe: 'DynamoDB emulator: moto, or dynoxide (SQLite-backed, DynamoDB\'s cost shape; built on first use)' })
    .option('count-requests', { type: 'boolean', default: true, describe: 'count AWS requests by operation through a local proxy' })
    .option('latency', { type: 'boolean', default: false, describe: 'add in-region AWS latency between the worker and the emulators: 5 ms per DynamoDB, SSM or STS call, 20 ms per S3 call (the floor is measured through the same latency)' })
    .option('worker-heap-mib', {
      type: 'number',
      default: WORKER_HEAP_MIB,
      describe: "the worker process's V8 old-space limit (--max-old-space-size), as `amplify-migrate worker` sets it; 0: Node's default, from the machine's memory",
    })
    .option('floor', { type: 'boolean', default: true, describe: 'measure the floor (raw reads, writes and copies of the same amounts) after the migration; --no-floor skips it' })
    .option('results', { type: 'string', default: '.stack/bench-results.json', describe: 'where the figures are written as JSON' })
    .strict()
    .help()
    .parseSync();

  const args: BenchArgs = {
    users: parsed.users ?? (parsed.quick ? QUICK_USERS : 1000),
    itemsPerUser: parsed['items-per-user'],
    objectsPerUser: parsed['objects-per-user'],
    objectBytes: parsed['object-bytes'],
    concurrency: parsed.concurrency,
    userConcurrency: parsed['user-concurrency'],
    scanSegments: parsed['scan-segments'],
    workerActivities: parsed['worker-activities'],
    copyConcurrency: parsed['copy-concurrency'] ?? parsed['worker-activities'],
    copyObjects: parsed['copy-objects'],
    seed: parsed.seed,
    scenario: parsed.scenario as 'A' | 'B',
    quick: parsed.quick,
    depName: parsed['dep-name'],
    stage: parsed.stage,
    results: parsed.results,
    dynamodb: parsed.dynamodb as 'moto' | 'dynoxide',
    countRequests: parsed['count-requests'],
    latency: parsed.latency,
    floor: parsed.floor,
    workerHeapMib: parsed['worker-heap-mib'],
  };
  // The latency is added by the counting proxy.
  if (args.latency && !args.countRequests) throw new Error('--latency needs the request-counting proxy: drop --no-count-requests');
  for (const name of ['users', 'concurrency', 'userConcurrency', 'scanSegments', 'workerActivities', 'copyConcurrency', 'copyObjects'] as const) {
    if (!Number.isInteger(args[name]) || args[name] < 1) throw new Error(`--${name} must be a positive integer`);
  }
  if (!Number.isInteger(args.workerHeapMib) || (args.workerHeapMib !== 0 && args.workerHeapMib < 64)) throw new Error("--worker-heap-mib must be an integer of at least 64, or 0 for Node's default");
  for (const name of ['itemsPerUser', 'objectsPerUser', 'objectBytes'] as const) {
    if (!Number.isInteger(args[name]) || args[name] < 0) throw new Error(`--${name} must be a non-negative integer`);
  }
  return args;
}
