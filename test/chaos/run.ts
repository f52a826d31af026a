/**
 * One chaos run (issue 15 §2, issue 13's recovery figure):
 *
 * 1. two identical sample deployments are seeded; the first is migrated cleanly (a worker
 *    process, no faults) and its end state taken;
 * 2. the second is migrated by `amplify-migrate start --wait` while worker processes reach
 *    AWS through the fault proxy (random throttles, 500s, and 500s after the write was
 *    applied), workers are SIGKILLed at random points and replaced at once, the Temporal
 *    dev server is optionally SIGKILLed and restarted, and a live-app writer keeps writing;
 * 3. the end state must equal the clean one except for the writer's keys, every writer
 *    write must be where the services read it, the CLI's exit code and the report's outcome
 *    must be the true ones, and a second run must write nothing.
 *
 * Everything is returned as figures plus a list of problems (empty when the run passed),
 * so the CLI prints them and the jest test asserts on them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { createAwsClients, destroyAwsClients } from '../../activities/aws/clients';
import { exitCodeFor } from '../../client/commands/migration';
import { totalWrites } from '../../src/report/counters';
import { mulberry32, toCsv } from '../../src/seed';
import { migrationWorkflowId } from '../../workflows/migration';
import type { MigrationReport } from '../../workflows/types';
import { FaultProxy, type FaultCounts } from '../faults/faultProxy';
import { seedDeployment, type SeededDeployment } from '../support/migration';
import { comparableEndState, RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff } from '../support/snapshot';
import { countDifferences, writeCounts, type WriteCounts } from '../faults/singleFault';
import { endStateDifference } from './endState';
import type { ChaosOptions } from './options';
import { ProgressMonitor } from './progress';
import { RestartableTemporal, runCli, WorkerFleet, type CliRun } from './processes';
import { randomInjector } from './randomInjector';
import { LiveWriter, type WriterSummary } from './writer';

export interface ChaosStack {
  awsEndpoint: string;
  /** A fixed address, or a server the run may SIGKILL and restart (--temporal-restart). */
  temporal: { address: string } | RestartableTemporal;
  /** Isolates this run's workers from any other worker on the same server. */
  taskQueue: string;
  logDir: string;
  /**
   * DynamoDB on its own emulator (AWS_ENDPOINT_URL_DYNAMODB, dynoxide beside moto): the
   * workers then reach it through a second fault proxy with the same injector.
   */
  dynamoEndpoint?: string;
}

export interface KillFigure {
  /** Seconds since the chaos run started. */
  atSeconds: number;
  /** Kill → the next change of the workflow's status (a user, a phase, a counter). */
  toProgressSeconds?: number;
  /** Kill → the first AWS request of any worker (the new one is at work). */
  toFirstRequestSeconds?: number;
}

export interface ChaosResult {
  options: ChaosOptions;
  deployments: { clean: string; chaos: string };
  clean: { seconds: number; exitCode: number | null; outcome?: string };
  chaos: { seconds: number; exitCode: number | null; outcome?: string; expectedExitCode?: number; users?: MigrationReport['users']; conflicts: number };
  faults: FaultCounts;
  kills: KillFigure[];
  workersStarted: number;
  temporalRestarts: number;
  /** Table-level retries the report counts (a condition that failed, re-read and re-applied). */
  reportRetries: number;
  /** Activity attempts beyond the first, from the histories of the run and its children. */
  activityRetries: number;
  endStateDifference: number;
  writer?: WriterSummary & { checked: number; missing: string[] };
  secondRun?: { exitCode: number | null; outcome?: string; writes: number; changed: number };
  /** Empty when every property held. */
  problems: string[];
  /** The difference and other details, for reading when a problem is listed. */
  details: Record<string, unknown>;
}

const SAMPLE = { itemsPerUser: 2, objectsPerUser: 2, objectBytes: 256 };

export async function runChaos(options: ChaosOptions, stack: ChaosStack, log: (line: string) => void = () => undefined): Promise<ChaosResult> {
  mkdirSync(stack.logDir, { recursive: true });
  const aws = { AWS_REGION: process.env.AWS_REGION ?? 'us-east-1', AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing', AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing' };
  const temporalAddress = () => stack.temporal.address;
  const dynamoEndpoint = stack.dynamoEndpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const baseEnv = (): Record<string, string> => ({
    ...aws,
    AWS_ENDPOINT_URL: stack.awsEndpoint,
    ...(dynamoEndpoint ? { AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint } : {}),
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: 'default',
    AMPLIFY_MIGRATE_TASK_QUEUE: stack.taskQueue,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const clients = createAwsClients({ endpoint: stack.awsEndpoint, dynamoEndpoint, region: aws.AWS_REGION });
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  const problems: string[] = [];
  const details: Record<string, unknown> = {};
  const proxy = await new FaultProxy(stack.awsEndpoint).start();
  const dynamoProxy = dynamoEndpoint ? await new FaultProxy(dynamoEndpoint).start() : undefined;
  try {
    log(`seeding two identical deployments, scenario ${options.scenario}, ${options.users} users`);
    const sampleOptions = { scenario: options.scenario, users: options.users, seed: options.seed, ...SAMPLE };
    const clean = await seedDeployment(clients, sampleOptions);
    const chaos = await seedDeployment(clients, sampleOptions);
    const csv = path.join(stack.logDir, 'users.csv');
    writeFileSync(csv, toCsv(clean.sample.users));
    const startArgs = (seeded: SeededDeployment) => [
      'start', '--dep-name', seeded.deployment.depName, '--stage', 'dev', '--csv', csv,
      '--auto-approve', '--wait', '--concurrency', String(options.concurrency),
      // dynoxide has no on-demand backups.
      ...(options.dynamodb === 'dynoxide' ? ['--dont-backup'] : []),
    ];

    // 1. The clean run.
    log(`clean run of ${clean.deployment.depName}`);
    const cleanRun = await migrate(startArgs(clean), baseEnv(), stack.logDir, 'clean');
    const cleanReport = await reportOf(client, clean);
    if (cleanRun.cli.code !== 0 || cleanReport?.outcome !== 'succeeded') problems.push(`the clean run did not succeed (exit ${cleanRun.cli.code}, ${cleanReport?.outcome}): ${tail(cleanRun.cli)}`);
    const cleanEnd = await comparableEndState(clients, clean.deployment);
    log(`clean run: ${cleanReport?.outcome}, exit ${cleanRun.cli.code}, ${cleanRun.seconds.toFixed(0)} s`);

    // 2. The chaos run.
    const rng = mulberry32(options.seed ^ 0xc4a05);
    const faults = randomInjector(options.faultRate, options.seed);
    proxy.injector = faults.injector;
    if (dynamoProxy) dynamoProxy.injector = faults.injector;
    const fleet = new WorkerFleet({ ...baseEnv(), AWS_ENDPOINT_URL: proxy.url, ...(dynamoProxy ? { AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.url } : {}) }, stack.logDir, 'chaos');
    const writer = options.writer ? new LiveWriter(clients, chaos.deployment, chaos.sample, options.seed, options.writerConflicts) : undefined;
    const workflowId = migrationWorkflowId(chaos.deployment.depName, 'dev');
    const monitor = new ProgressMonitor(client, workflowId);
    log(`chaos run of ${chaos.deployment.depName}: ${options.kills} kills, ${(options.faultRate * 100).toFixed(0)}% faults${options.temporalRestart ? ', a Temporal restart' : ''}${writer ? ', a live writer' : ''}`);
    const started = Date.now();
    fleet.start();
    writer?.start();
    monitor.start();
    // The operator's client talks to AWS directly: the faults are between workers and AWS.
    const cliDone = runCli(startArgs(chaos), baseEnv());
    const settled = cliDone.then(() => undefined);

    // Disruption points spread over 85% of each pass of the clean run (half the kills in the
    // plan, half in the approved pass: the pass that writes), counted in time the run was
    // making progress: after each disruption the clock restarts only once the run has moved
    // on, so a kill's stall (up to the heartbeat timeout) does not push the later points past
    // the end, and each recovery is measured on its own. The approved pass's points start
    // when the chaos run reaches it, however long its plan took.
    const passSeconds = passLengths(cleanReport, cleanRun.seconds);
    const events: { pass: 'plan' | 'run'; at: number; what: 'kill' | 'temporal' }[] = [];
    for (let i = 0; i < options.kills; i++) {
      const pass = i % 2 === 0 ? 'run' : 'plan';
      events.push({ pass, at: passSeconds[pass] * 1000 * 0.85 * (0.05 + 0.95 * rng()), what: 'kill' });
    }
    if (options.temporalRestart) events.push({ pass: 'run', at: passSeconds.run * 1000 * 0.85 * (0.2 + 0.5 * rng()), what: 'temporal' });
    events.sort((a, b) => (a.pass === b.pass ? a.at - b.at : a.pass === 'plan' ? -1 : 1));
    const kills: { at: number }[] = [];
    let finished = false;
    void settled.then(() => (finished = true));
    let disruptedAt = started;
    let scheduledAt = 0;
    let pass: 'plan' | 'run' = 'plan';
    for (const event of events) {
      if (event.pass !== pass) {
        pass = event.pass;
        await monitor.waitForRealPass(settled);
        log(`the approved pass began at ${((Date.now() - started) / 1000).toFixed(0)} s`);
        disruptedAt = Date.now();
        scheduledAt = 0;
      }
      await monitor.waitForProgressAfter(disruptedAt, settled);
      const resumedAt = Math.max(Date.now(), started);
      const waitUntil = resumedAt + (event.at - scheduledAt);
      scheduledAt = event.at;
      while (!finished && Date.now() < waitUntil) await sleep(200);
      if (finished) break;
      if (event.what === 'kill') {
        disruptedAt = await fleet.killAndReplace();
        kills.push({ at: disruptedAt });
        log(`kill ${kills.length} (${event.pass} pass) at ${((disruptedAt - started) / 1000).toFixed(0)} s`);
      } else if (stack.temporal instanceof RestartableTemporal) {
        disruptedAt = Date.now();
        await stack.temporal.killAndRestart();
        log(`Temporal dev server SIGKILLed and restarted at ${((disruptedAt - started) / 1000).toFixed(0)} s`);
      }
    }
    const chaosCli = await cliDone;
    const chaosSeconds = (Date.now() - started) / 1000;
    const writerSummary = await writer?.stop();
    await monitor.stop();
    await fleet.stop();
    proxy.injector = () => undefined;
    if (dynamoProxy) dynamoProxy.injector = () => undefined;
    log(`chaos run ended: exit ${chaosCli.code} after ${chaosSeconds.toFixed(0)} s`);
    writeFileSync(path.join(stack.logDir, 'chaos-start.log'), `${chaosCli.stdout}\n--- stderr\n${chaosCli.stderr}`);

    const report = await reportOf(client, chaos);
    if (!report) problems.push(`no report for ${workflowId}: ${tail(chaosCli)}`);
    const expectedExitCode = report && exitCodeFor(report);
    if (report && chaosCli.code !== expectedExitCode) problems.push(`the CLI exited ${chaosCli.code}, the report (${report.outcome}) says ${expectedExitCode}: ${tail(chaosCli)}`);
    // The true outcome: every user done, nothing failed; conflicts only where the writer
    // created the accounts record at a new key before that user's move.
    const accountUsers = new Set(writer?.users.accounts ?? []);
    const unexplained = (report?.totals.problems ?? []).filter((p) => !(p.kind === 'conflict' && p.where === 'ACCOUNTS_DYNAMO_TABLE' && (p.user === undefined || accountUsers.has(p.user))));
    if (unexplained.length > 0) problems.push(`problems no writer write explains: ${JSON.stringify(unexplained.slice(0, 5))}`);
    if (report && report.totals.problemCount > report.totals.problems.length) problems.push(`${report.totals.problemCount - report.totals.problems.length} problems not listed in the report`);
    const trueOutcome = (report?.totals.conflictCount ?? 0) > 0 ? 'succeeded-with-conflicts' : 'succeeded';
    if (report && report.outcome !== trueOutcome) problems.push(`outcome ${report.outcome}, expected ${trueOutcome}`);
    if (report && (report.users.failed > 0 || report.users.done !== options.users)) problems.push(`users: ${JSON.stringify(report.users)}`);

    // The counts (issue 14): writes a killed or answer-less attempt made count as done, so the
    // report says what its own plan said, and what the clean run did, row by row. Rows the
    // live writer changed under the run are left out: its writes change what there is to do.
    const writerTables = new Set<string>(writer ? [...writer.touchedKeys().keys()] : []);
    const writerObjects = (writer?.touchedObjects().size ?? 0) > 0;
    const comparable = (counts: WriteCounts): WriteCounts =>
      Object.fromEntries(Object.entries(counts).filter(([row]) => !writerTables.has(row.split(' (')[0]) && !(writerObjects && row.startsWith('S3_'))));
    if (report?.plan) {
      const run = comparable(writeCounts(report.totals));
      const differences = [
        ...countDifferences(comparable(writeCounts(report.plan)), run).map((d) => `against its plan: ${d}`),
        ...(cleanReport ? countDifferences(comparable(writeCounts(cleanReport.totals)), run).map((d) => `against the clean run: ${d}`) : []),
      ];
      if (differences.length > 0) problems.push(`the report's counts differ ${differences.slice(0, 6).join('; ')}`);
      details.countDifferences = differences;
    }

    const exclusions = { items: writer?.touchedKeys() ?? new Map(), consolidationObjects: writer?.touchedObjects() ?? new Set<string>() };
    const difference = endStateDifference(cleanEnd, await comparableEndState(clients, chaos.deployment), exclusions);
    if (difference.count > 0) {
      problems.push(`end state differs from the clean run's in ${difference.count} items/objects (tables/buckets: ${Object.keys(difference.diff).join(', ')})`);
      details.endStateDiff = difference.diff;
    }
    const writerCheck = writer ? await writer.check() : undefined;
    if (writerCheck && writerCheck.missing.length > 0) problems.push(`${writerCheck.missing.length} writer writes lost or clobbered, first: ${writerCheck.missing.slice(0, 5).join(' | ')}`);
    if (writerSummary && writerSummary.errors.length > 0) problems.push(`writer errors: ${writerSummary.errors.slice(0, 3).join(' | ')}`);

    const reportRetries = Object.values(report?.totals.tables ?? {}).reduce((n, t) => n + t.retries, 0);
    // Before the second run, whose executions reuse the same workflow ids.
    const activityRetries = await countActivityRetries(client, chaos.deployment.depName, workflowId).catch(() => -1);

    // 3. A second run, without faults or writer: nothing to write, nothing changed.
    log('second run of the chaos deployment');
    const before = await snapshotDeployment(clients, chaos.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    const second = await migrate(startArgs(chaos), baseEnv(), stack.logDir, 'second');
    const secondReport = await reportOf(client, chaos);
    const changed = snapshotDiff(before, await snapshotDeployment(clients, chaos.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES }));
    const secondWrites = secondReport ? totalWrites(secondReport.totals) : -1;
    const changedCount = Object.values(changed).reduce((n, d) => n + d.added.length + d.removed.length, 0);
    if (secondWrites !== 0 || changedCount > 0) {
      problems.push(`the second run wrote ${secondWrites} items/objects and changed ${changedCount}`);
      details.secondRunChanges = changed;
    }
    if (secondReport && second.cli.code !== exitCodeFor(secondReport)) problems.push(`second run: exit ${second.cli.code}, report ${secondReport.outcome}`);

    const killFigures = kills.map(({ at }): KillFigure => {
      const progress = monitor.progressAfter(at);
      const request = faults.requestTimes.find((t) => t > at);
      return {
        atSeconds: (at - started) / 1000,
        toProgressSeconds: progress && (progress - at) / 1000,
        toFirstRequestSeconds: request && (request - at) / 1000,
      };
    });
    for (const [i, k] of killFigures.entries()) {
      if (k.toProgressSeconds === undefined) problems.push(`kill ${i + 1}: no progress observed after it`);
    }

    return {
      options,
      deployments: { clean: clean.deployment.depName, chaos: chaos.deployment.depName },
      clean: { seconds: cleanRun.seconds, exitCode: cleanRun.cli.code, outcome: cleanReport?.outcome },
      chaos: { seconds: chaosSeconds, exitCode: chaosCli.code, outcome: report?.outcome, expectedExitCode, users: report?.users, conflicts: report?.totals.conflictCount ?? 0 },
      faults: sumCounts(proxy.faults, dynamoProxy?.faults),
      kills: killFigures,
      workersStarted: fleet.count,
      temporalRestarts: stack.temporal instanceof RestartableTemporal ? stack.temporal.restarts : 0,
      reportRetries,
      activityRetries,
      endStateDifference: difference.count,
      writer: writerSummary && writerCheck && { ...writerSummary, ...writerCheck },
      secondRun: { exitCode: second.cli.code, outcome: secondReport?.outcome, writes: secondWrites, changed: changedCount },
      problems,
      details,
    };
  } finally {
    await proxy.stop();
    await dynamoProxy?.stop();
    await connection.close().catch(() => undefined);
    destroyAwsClients(clients);
  }
}

/** A whole migration through `start --wait` and one fault-free worker process. */
async function migrate(args: string[], env: Record<string, string>, logDir: string, label: string): Promise<{ cli: CliRun; seconds: number }> {
  const fleet = new WorkerFleet(env, logDir, label);
  fleet.start();
  const started = Date.now();
  try {
    const cli = await runCli(args, env);
    writeFileSync(path.join(logDir, `${label}-start.log`), `${cli.stdout}\n--- stderr\n${cli.stderr}`);
    return { cli, seconds: (Date.now() - started) / 1000 };
  } finally {
    await fleet.stop();
  }
}

/** The report of the deployment's latest run (the handle follows continue-as-new). */
async function reportOf(client: Client, seeded: SeededDeployment): Promise<MigrationReport | undefined> {
  try {
    return (await client.workflow.getHandle(migrationWorkflowId(seeded.deployment.depName, 'dev')).result()) as MigrationReport;
  } catch {
    return undefined;
  }
}

/**
 * Attempts beyond the first of every activity of the run: the last ActivityTaskStarted event
 * of an activity carries its attempt number. Children are listed through visibility.
 */
async function countActivityRetries(client: Client, depName: string, workflowId: string): Promise<number> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const info of client.workflow.list({ query: `AmplifyDeployment = "${depName}"` })) runs.push({ workflowId: info.workflowId, runId: info.runId });
  if (!runs.some((r) => r.workflowId === workflowId)) runs.push({ workflowId, runId: '' });
  let retries = 0;
  for (const run of runs) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId || undefined).fetchHistory();
    for (const event of history.events ?? []) {
      const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
      if (attempt > 1) retries += attempt - 1;
    }
  }
  return retries;
}

function sumCounts(a: FaultCounts, b: FaultCounts | undefined): FaultCounts {
  if (!b) return a;
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof FaultCounts)[]) out[key] += b[key];
  return out;
}

function tail(run: CliRun): string {
  return `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-3).join(' / ');
}

/**
 * How long the clean run spent in its plan and in its approved pass (from the plan's first
 * write phase to the approval, and from the approval to the end), from its phase timings;
 * half each when the report has none.
 */
function passLengths(report: MigrationReport | undefined, wallSeconds: number): Record<'plan' | 'run', number> {
  const timings = report?.phaseTimings ?? [];
  const gate = timings.find((t) => t.phase === 'approval-gate');
  const first = timings.find((t) => t.phase === 'run-wide');
  const last = timings[timings.length - 1];
  if (!gate || !first || !last) return { plan: wallSeconds / 2, run: wallSeconds / 2 };
  const end = last.endedAt ?? last.startedAt;
  return { plan: (gate.startedAt - first.startedAt) / 1000, run: (end - (gate.endedAt ?? gate.startedAt)) / 1000 };
}
