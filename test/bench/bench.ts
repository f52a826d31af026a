/**
 * `npm run bench`: starts its own local stack (moto + in-memory Temporal dev server), seeds a
 * scenario A sample deployment, runs the whole migration through a real worker in a process
 * of its own (so its memory is measured apart from the bench's), and prints the figures of
 * issues 3 (read amplification), 4 (copy throughput against raw CopyObject) and 6 (wall time,
 * activities, history sizes, memory).
 * The figures also go to .stack/bench-results.json. Not a test: nothing here asserts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../activities/aws/clients';
import { seedSampleDeployment } from '../../client/seed/seed';
import { PROJECT_ROOT, startLocalStack, type LocalStack } from '../../client/stack/localStack';
import { buildDeployment, type Deployment } from '../../src/deployment/catalogue';
import { generateSampleDeployment } from '../../src/seed';
import { statusQuery } from '../../workflows/messages';
import { migrationWorkflow, migrationWorkflowId } from '../../workflows/migration';
import { TASK_QUEUE } from '../../workflows/taskQueue';
import { migrationInput, testOptions } from '../support/migration';
import { parseBenchArgs, type BenchArgs } from './args';
import { ensureDynoxide, RequestCounters } from './requests';
import { measureRawCopyRate } from './copyRate';
import { measureFloor, type Floor } from './floor';
import { copyFigures, ledgerFigures, phaseDurations, readAmplification, seededItemCounts, tableCounterLines, verificationAmplification } from './figures';
import { childRuns, parentRunChain, summarizeHistories } from './histories';
import { renderResults } from './render';
import { cpuBetween, cpuSnapshot, trackPeakRss } from './resources';
import type { BenchResults } from './results';
import { historyKey, LATENCY_PROFILE, targetLines, type BenchHistory } from './targets';
import { processRssBytes, startBenchWorker, type BenchWorker } from './workerProcess';

// The SDK's Node-version notice would precede the figures; its versions are pinned by the lockfile.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const READ_AMPLIFICATION_GOAL = 1.5;
const PROGRESS_EVERY_MS = 15_000;

const seconds = (since: number) => (Date.now() - since) / 1000;
const progress = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/**
 * Generates and seeds the sample deployment, and keeps only what the bench needs of it: the
 * sample itself (every item and object body) is left to the collector before the migration.
 */
async function seedBench(clients: AwsClients, deployment: Deployment, args: BenchArgs) {
  const sample = generateSampleDeployment({
    scenario: args.scenario,
    users: args.users,
    itemsPerUser: args.itemsPerUser,
    objectsPerUser: args.objectsPerUser,
    objectBytes: args.objectBytes,
    seed: args.seed,
    deployment: { depName: deployment.depName, stage: deployment.stage },
  });
  const started = Date.now();
  const seedResult = await seedSampleDeployment(clients, deployment, sample, {
    concurrency: args.concurrency,
    versionedBuckets: ['S3_CONVERSATIONS_BUCKET_NAME', 'S3_SHARE_BUCKET_NAME'],
  });
  return { pairs: sample.users, outsiders: sample.outsiders.length, seedResult, seedSeconds: seconds(started), seeded: seededItemCounts(sample) };
}

let stack: LocalStack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => (stopping ??= stack ? stack.stop() : Promise.resolve());

async function main(): Promise<void> {
  const args = parseBenchArgs();
  const benchStarted = Date.now();
  // Worker state chatter would drown the figures; warnings and errors still show. The
  // runtime's own signal handling is off: ours stops the servers before exiting.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  if (args.dynamodb === 'dynoxide') ensureDynoxide();
  progress(`starting moto${args.dynamodb === 'dynoxide' ? ' + dynoxide' : ''} + Temporal dev server`);
  stack = await startLocalStack({ logDir: path.join(PROJECT_ROOT, '.stack', 'bench-logs'), dynamodb: args.dynamodb });
  Object.assign(process.env, stack.env);
  // Seeding and the raw micro-benchmarks talk to the emulators directly; the worker goes
  // through the counting proxies, so the request profile is the migration's own.
  const clients = createAwsClients({ endpoint: stack.awsEndpoint, dynamoEndpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB, region: stack.env.AWS_REGION });
  const counters = args.countRequests
    ? await RequestCounters.start(stack.awsEndpoint, stack.env.AWS_ENDPOINT_URL_DYNAMODB, args.latency ? LATENCY_PROFILE : undefined)
    : undefined;
  const workerClients = counters
    ? createAwsClients({ endpoint: counters.awsEndpoint, dynamoEndpoint: counters.dynamoEndpoint, region: stack.env.AWS_REGION })
    : clients;
  // With the latency profile, the raw rates the migration is compared with pay the same latency.
  const floorClients = args.latency ? workerClients : clients;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  let worker: BenchWorker | undefined;
  try {
    const client = new Client({ connection, namespace: 'default' });
    const deployment = buildDeployment({ depName: args.depName, stage: args.stage });

    progress(`seeding ${args.users} users`);
    const { pairs, outsiders, seedResult, seedSeconds, seeded } = await seedBench(clients, deployment, args);
    progress(`seeded in ${seedSeconds.toFixed(1)} s; measuring raw CopyObject rate`);

    const raw = await measureRawCopyRate(floorClients, {
      scratchPrefix: `${args.depName}-bench-scratch`,
      objects: args.copyObjects,
      objectBytes: args.objectBytes,
      concurrency: args.copyConcurrency,
    });
    progress(`raw CopyObject: ${raw.objectsPerSecond.toFixed(1)} objects/s; bundling workflows`);

    // The worker goes through the counting proxies; its ledger resolver counts the ledger's
    // requests and bytes (issue 12) and reports them when it stops.
    worker = await startBenchWorker({
      temporalAddress: stack.temporalAddress,
      awsEndpoint: counters?.awsEndpoint ?? stack.awsEndpoint,
      dynamoEndpoint: counters ? counters.dynamoEndpoint : stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: stack.env.AWS_REGION,
      maxConcurrentActivityTaskExecutions: args.workerActivities,
      heapMib: args.workerHeapMib,
    });
    const workerPid = worker.pid;
    // dynoxide has no on-demand backups (UnknownOperationException): a run there skips them.
    const skipBackups = args.dynamodb === 'dynoxide';
    const input = await migrationInput(clients, deployment, pairs, testOptions({ userConcurrency: args.userConcurrency, scanSegments: args.scanSegments, skipBackups }));
    counters?.reset();
    await fetch(`${stack.awsEndpoint}/moto-profile`, { method: 'DELETE' });
    const workflowId = migrationWorkflowId(deployment.depName, deployment.stage);

    progress(`migrating (workflow ${workflowId})`);
    // The peak while the worker migrates: the seeding before it is the bench's, not the worker's.
    const rss = trackPeakRss(() => processRssBytes(workerPid));
    const benchRss = trackPeakRss();
    const cpuBefore = cpuSnapshot();
    const migrationStarted = Date.now();
    // The memo as `start` sets it: the run id and bucket the activities record the ledger under.
    const memo = { runId: input.runId, ledgerBucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME };
    const handle = await client.workflow.start(migrationWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input], memo });
    const ticker = setInterval(() => {
      handle
        .query(statusQuery)
        .then((s) => progress(`${s.phase}: users ${s.users.done}/${s.users.total} done, ${s.users.inFlight} running; worker rss ${(processRssBytes(workerPid) / 2 ** 20).toFixed(0)} MiB`))
        .catch(() => undefined);
    }, PROGRESS_EVERY_MS);
    let report;
    try {
      report = await Promise.race([handle.result(), worker.died]);
    } finally {
      clearInterval(ticker);
    }
    // The wall ends with the result, not with the worker's shutdown after it.
    const migrationSeconds = seconds(migrationStarted);
    const peakRssBytes = rss.stop();
    const benchPeakRssBytes = benchRss.stop();
    // Before the worker exits: /proc forgets its CPU when it has gone.
    const cpu = cpuBetween(cpuBefore, cpuSnapshot());
    const { ledgerCost, memory: workerMemory } = await worker.stop();
    worker = undefined;
    const requests = counters?.byOperation();
    const motoProfile = (await (await fetch(`${stack.awsEndpoint}/moto-profile`)).json()) as BenchResults['motoProfile'];
    progress(`migration ${report.outcome} in ${migrationSeconds.toFixed(1)} s; reading histories`);

    const realTotals = Object.values(report.totals.tables);
    let floor: Floor | undefined;
    if (args.floor) {
      progress('measuring the floor (raw reads, writes and copies of the same amounts)');
      floor = await measureFloor(floorClients, deployment, {
        concurrency: args.workerActivities,
        itemsWritten: realTotals.reduce((n, t) => n + t.itemsWritten, 0),
        objectsCopied: Object.values(report.totals.buckets).reduce((n, b) => n + b.objectsCopied, 0),
        copyRate: raw,
        scratchTable: `${args.depName}-bench-floor`,
      });
    }

    const parentRuns = await parentRunChain(client, workflowId, handle.firstExecutionRunId);
    const children = await childRuns(client, { depName: deployment.depName, parentWorkflowId: workflowId, expectedAtLeast: 2 * args.users + 1 });
    const histories = summarizeHistories(parentRuns, children);
    const userChildren = histories.children.find((c) => c.workflowType === 'userMigrationWorkflow');

    const results: BenchResults = {
      measuredAt: new Date().toISOString(),
      config: args,
      seed: {
        seconds: seedSeconds,
        items: Object.values(seedResult.itemsWritten).reduce((a: number, b) => a + (b ?? 0), 0),
        tables: Object.keys(seedResult.itemsWritten).length,
        objects: Object.values(seedResult.objectsWritten).reduce((a: number, b) => a + (b ?? 0), 0),
        outsiders,
      },
      outcome: report.outcome,
      users: { total: report.users.total, done: report.users.done, failed: report.users.failed },
      problems: report.totals.problemCount,
      verification: report.verification,
      totalSeconds: 0,
      issue3: {
        goal: READ_AMPLIFICATION_GOAL,
        run: readAmplification(report.totals, seeded),
        plan: readAmplification(report.plan, seeded),
        verification: verificationAmplification(report, seeded),
      },
      issue4: copyFigures(report, raw),
      issue6: {
        migrationSeconds,
        activitiesScheduled: histories.activitiesScheduled,
        activitiesByType: histories.activitiesByType,
        totalEvents: histories.totalEvents,
        childEvents: histories.childEvents,
        childEventsPerUser: histories.childEvents / args.users,
        userChildEventsPerUser: (userChildren?.events ?? 0) / args.users,
        parentRuns: parentRuns.map(({ runId, events, activitiesScheduled, historyBytes }) => ({ runId, events, activitiesScheduled, historyBytes })),
        parentLargestRunEvents: histories.parentLargestRunEvents,
        children: histories.children,
        peakRssBytes,
        workerMemory,
        benchPeakRssBytes,
      },
      phases: phaseDurations(report),
      cpu,
      tableCounters: tableCounterLines(report.totals),
      floor: floor && { ...floor, ratio: floor.seconds / migrationSeconds },
      dynamodb: args.dynamodb,
      backupsSkipped: skipBackups,
      requests: requests && { total: Object.values(requests).reduce((a, b) => a + b, 0), perUser: Object.values(requests).reduce((a, b) => a + b, 0) / args.users, byOperation: requests, s3ByBucket: counters?.s3ByBucket() },
      ledger: ledgerFigures(ledgerCost, requests, report),
      motoProfile,
      targets: [],
    };
    results.totalSeconds = seconds(benchStarted);
    const historyDir = path.join(PROJECT_ROOT, '.stack', 'bench-history');
    results.targets = targetLines(results, loadHistory(historyDir, results));
    mkdirSync(historyDir, { recursive: true });
    writeFileSync(path.join(historyDir, `${historyKey(results)}.json`), `${JSON.stringify(results, null, 2)}\n`);

    process.stdout.write(`${renderResults(results)}\n`);
    const file = path.resolve(PROJECT_ROOT, args.results);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...results, report }, null, 2)}\n`);
    process.stdout.write(`\nfigures written to ${path.relative(PROJECT_ROOT, file)}\n`);
    if (report.totals.problems.length > 0) {
      process.stdout.write(`first problems: ${JSON.stringify(report.totals.problems.slice(0, 5), null, 2)}\n`);
    }
    destroyAwsClients(clients);
    if (workerClients !== clients) destroyAwsClients(workerClients);
  } finally {
    worker?.kill();
    await counters?.stop();
    await connection.close().catch(() => undefined);
    await stopStack();
  }
}

/** The earlier runs the targets compare with: the no-latency twin, and the run a tenth the size. */
function loadHistory(dir: string, r: BenchResults): BenchHistory {
  const history: BenchHistory = {};
  for (const key of [historyKey(r, { latency: false }), historyKey(r, { users: r.config.users / 10, latency: false })]) {
    const file = path.join(dir, `${key}.json`);
    if (existsSync(file)) history[key] = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  }
  return history;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the local stack`);
    void stopStack().finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    await stopStack().catch(() => undefined);
    process.exit(1);
  },
);
