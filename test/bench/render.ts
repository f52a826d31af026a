/** Prints the benchmark figures as labelled plain text. */
import os from 'node:os';
import type { BenchResults } from './results';
import { LATENCY_PROFILE, renderTargets } from './targets';

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
const ratio = (r: number | null | undefined) => (r === null || r === undefined ? '-' : fmt(r, 3));

function table(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

export function renderResults(r: BenchResults): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const { config, issue3, issue4, issue6 } = r;

  line('=== amplify-migrate benchmark ===');
  const cpus = os.cpus();
  line(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`);
  line(`emulators: S3/SSM/STS/Cognito on moto, DynamoDB on ${r.dynamodb}${r.backupsSkipped ? ' (no on-demand backups there: the run skips them)' : ''}`);
  line(`users ${config.users} (+${r.seed.outsiders} outsiders), items/user ${config.itemsPerUser}, objects/user ${config.objectsPerUser}, object bytes ${config.objectBytes}, scenario ${config.scenario}`);
  line(
    `worker: ${config.workerActivities} activity slots; userConcurrency ${config.userConcurrency}; scanSegments ${config.scanSegments}; V8 old-space limit ${config.workerHeapMib === 0 ? "Node's default" : `${config.workerHeapMib} MiB`}`,
  );
  if (config.latency) line(`latency added per request: DynamoDB ${LATENCY_PROFILE.dynamodb} ms, S3 ${LATENCY_PROFILE.s3} ms, SSM/STS ${LATENCY_PROFILE.ssm} ms (raw rates and the floor pay it too)`);
  line(`seeded: ${fmt(r.seed.items)} items in ${r.seed.tables} tables, ${fmt(r.seed.objects)} objects, in ${fmt(r.seed.seconds, 1)} s`);
  line(`outcome: ${r.outcome}; users done ${r.users.done}/${r.users.total}, failed ${r.users.failed}; problems ${r.problems}; verification oldIdsLeft ${r.verification?.oldIdsLeft ?? '-'}, objectsMissing ${r.verification?.objectsMissing ?? '-'}`);
  line();

  line('--- Issue 9: targets ---');
  for (const t of renderTargets(r.targets)) line(t);
  line();

  line('--- Issue 3: read amplification (items read ÷ items stored) ---');
  line(`real pass (rewrite):  ${ratio(issue3.run?.ratio)}  (${fmt(issue3.run?.itemsRead ?? 0)} read / ${fmt(issue3.run?.itemsStored ?? 0)} stored)   goal ≤ ${issue3.goal}: ${issue3.run && issue3.run.ratio <= issue3.goal ? 'MET' : 'NOT MET'}`);
  line(`plan pass (dry run):  ${ratio(issue3.plan?.ratio)}  (${fmt(issue3.plan?.itemsRead ?? 0)} read / ${fmt(issue3.plan?.itemsStored ?? 0)} stored)`);
  line(`verification pass:    ${ratio(issue3.verification?.ratio)}  (${fmt(issue3.verification?.itemsChecked ?? 0)} checked / ${fmt(issue3.verification?.itemsStored ?? 0)} stored in the tables it checks)`);
  line('per table, real pass (ratio > 1.5 marked *):');
  line(
    table([
      ['table', 'read', 'stored', 'ratio', 'plan read'],
      ...(issue3.run?.tables ?? []).map((t) => [
        `${t.ratio !== null && t.ratio > issue3.goal ? '* ' : '  '}${t.table}`,
        t.itemsRead,
        t.itemsStored,
        ratio(t.ratio),
        issue3.plan?.tables.find((p) => p.table === t.table)?.itemsRead ?? 0,
      ]),
    ]),
  );
  line();

  line('--- Issue 4: S3 copy throughput (real pass) ---');
  line(`objects copied ${fmt(issue4.objectsCopied)}, bytes copied ${fmt(issue4.bytesCopied)} (${mib(issue4.bytesCopied)}), skipped ${fmt(issue4.objectsSkipped)}`);
  line(`copy phases (run-wide + users) ${fmt(issue4.copyPhaseSeconds, 1)} s: ${fmt(issue4.objectsPerSecond, 1)} objects/s, ${fmt(issue4.bytesPerSecond / 1024, 1)} KiB/s`);
  line(`run-wide phase alone (whole-bucket copies, no table work) ${fmt(issue4.runWide.seconds, 1)} s: ${fmt(issue4.runWide.objectsCopied)} objects, ${fmt(issue4.runWide.objectsPerSecond, 1)} objects/s (ratio to raw ${ratio(issue4.runWide.ratio)})`);
  line(`whole real pass ${fmt(issue4.realPassSeconds, 1)} s: ${fmt(issue4.objectsPerSecondWholePass, 1)} objects/s`);
  line(
    `raw CopyObject on the same moto: ${fmt(issue4.raw.objects)} × ${issue4.raw.objectBytes} B at concurrency ${issue4.raw.concurrency} in ${fmt(issue4.raw.seconds, 2)} s: ` +
      `${fmt(issue4.raw.objectsPerSecond, 1)} objects/s, ${fmt(issue4.raw.bytesPerSecond / 1024, 1)} KiB/s`,
  );
  line(`ratio migration ÷ raw: ${ratio(issue4.ratio)} (copy phases), ${ratio(issue4.ratioWholePass)} (whole real pass)`);
  line();

  line('--- Issue 6: workflow cost ---');
  line(`wall time: migration ${fmt(issue6.migrationSeconds, 1)} s (seed ${fmt(r.seed.seconds, 1)} s, bench total ${fmt(r.totalSeconds, 1)} s)`);
  line(`activities executed (ActivityTaskScheduled, parent chain + all children): ${fmt(issue6.activitiesScheduled)} (${fmt(issue6.activitiesScheduled / config.users, 1)} per user)`);
  line(`history events: total ${fmt(issue6.totalEvents)}; children ${fmt(issue6.childEvents)} → ${fmt(issue6.childEventsPerUser, 1)} per user; user-migration children only ${fmt(issue6.userChildEventsPerUser, 1)} per user (both passes)`);
  line(`parent: ${issue6.parentRuns.length} run(s) (continue-as-new ${issue6.parentRuns.length - 1}×), largest single-run history ${fmt(issue6.parentLargestRunEvents)} events (limit 10,000: ${issue6.parentLargestRunEvents < 10_000 ? 'OK' : 'EXCEEDED'}); runs (events / history bytes): ${issue6.parentRuns.map((p) => `${p.events} / ${p.historyBytes === undefined ? '?' : mib(p.historyBytes)}`).join(', ')}`);
  line(`peak RSS while it migrates: worker process ${mib(issue6.peakRssBytes)}; bench process (proxies and their request log) ${mib(issue6.benchPeakRssBytes)}`);
  const memory = issue6.workerMemory;
  if (memory) {
    line(
      `worker at its own highest sample: RSS ${mib(memory.rssBytes)} = V8 heap ${mib(memory.heapTotalBytes)} (${mib(memory.heapUsedBytes)} in use) + outside the heap ${mib(memory.rssBytes - memory.heapTotalBytes)} (external ${mib(memory.externalBytes)}, array buffers ${mib(memory.arrayBuffersBytes)}); workflow cache held at most ${fmt(memory.maxCachedWorkflows)} runs; V8 heap limit ${mib(memory.heapLimitBytes)}; MALLOC_ARENA_MAX ${memory.mallocArenaMax ?? "glibc's default"}`,
    );
  }
  line(table([['workflow type', 'runs', 'events', 'activities', 'max events/run'], ...issue6.children.map((c) => [c.workflowType, c.runs, c.events, c.activitiesScheduled, c.maxEventsInOneRun])]));
  line('activities by type:');
  line(table([['activity', 'scheduled'], ...Object.entries(issue6.activitiesByType).sort((a, b) => b[1] - a[1])]));
  line('phases:');
  line(table([['phase', 'pass', 'seconds'], ...r.phases.map((p) => [p.phase, p.pass, fmt(p.seconds, 2)])]));
  line('CPU during the migration (share of one core):');
  line(table([['process', 'cpu s', 'cores'], ...r.cpu.processes.map((p) => [p.name, fmt(p.cpuSeconds, 1), fmt(p.coreShare, 2)])]));
  line(`load average: ${r.cpu.loadAverage.join(' ')}`);
  line();

  line(`--- Floor: the same work as raw SDK calls at ${config.workerActivities} in flight ---`);
  if (r.floor) {
    line(`read every item once ${fmt(r.floor.readSeconds, 1)} s (${fmt(r.floor.itemsRead)} items); write every changed item once ${fmt(r.floor.writeSeconds, 1)} s (${fmt(r.floor.itemsWritten)}); copy every object once ${fmt(r.floor.copySeconds, 1)} s (${fmt(r.floor.objectsCopied)} at the raw rate)`);
    line(`floor ${fmt(r.floor.seconds, 1)} s ÷ migration ${fmt(issue6.migrationSeconds, 1)} s = ${ratio(r.floor.ratio)}   (target at 1,000 users on dynoxide: ≥ 0.5)`);
  } else {
    line('not measured (--no-floor)');
  }
  line();
  if (r.requests) {
    line(`--- AWS requests (plan + run + verification): ${fmt(r.requests.total)} total, ${fmt(r.requests.perUser, 1)} per user ---`);
    line(table([['operation', 'requests', 'per user'], ...Object.entries(r.requests.byOperation).sort((a, b) => b[1] - a[1]).map(([op, n]) => [op, n, fmt(n / config.users, 2)])]));
    if (r.requests.s3ByBucket) {
      line('S3 requests by operation and bucket (the 12 largest):');
      line(table([['operation and bucket', 'requests', 'per user'], ...Object.entries(r.requests.s3ByBucket).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([op, n]) => [op, n, fmt(n / config.users, 2)])]));
    }
    line();
  }
  const ledger = r.ledger;
  line(
    `--- Ledger (issue 12): ${fmt(ledger.requests)} PutObject, ${fmt(ledger.bytes / 1024, 1)} KiB` +
      `${ledger.requestShare === undefined ? '' : `; ${fmt(100 * ledger.requestShare, 2)}% of the run's AWS requests`}` +
      `${ledger.byteShare === undefined ? '' : `; ${fmt(100 * ledger.byteShare, 2)}% of the ${mib(ledger.bytesCopied)} copied`} ---`,
  );
  if (r.motoProfile) {
    const ops = Object.entries(r.motoProfile).sort(([, a], [, b]) => b.seconds - a.seconds);
    const busy = ops.reduce((n, [, p]) => n + p.seconds, 0);
    line();
    line(`--- moto's busy time during the migration (one request at a time): ${fmt(busy, 1)} s of the ${fmt(r.issue6.migrationSeconds, 1)} s wall ---`);
    line(
      table([
        ['operation', 'requests', 'seconds', 'ms each', 'share'],
        ...ops.slice(0, 15).map(([op, p]) => [op, fmt(p.requests), fmt(p.seconds, 2), fmt((1000 * p.seconds) / Math.max(1, p.requests), 2), `${fmt((100 * p.seconds) / Math.max(busy, 1e-9), 1)}%`]),
      ]),
    );
  }
  line();
  line('--- Per-table counters (real pass) ---');
  line(
    table([
      ['table', 'read', 'written', 'moved', 'unchanged', 'conflicts', 'retries', 'failures'],
      ...r.tableCounters.map((t) => [t.table, t.itemsRead, t.itemsWritten, t.itemsMoved, t.itemsUnchanged, t.conflicts, t.retries, t.failures]),
    ]),
  );
  line('--- Per-bucket counters (real pass) ---');
  line(
    table([
      ['bucket', 'listed', 'copied', 'skipped', 'bytes', 'conflicts', 'failures'],
      ...issue4.buckets.map((b) => [b.bucket, b.objectsListed, b.objectsCopied, b.objectsSkipped, b.bytesCopied, b.conflicts, b.failures]),
    ]),
  );
  return out.join('\n');
}
