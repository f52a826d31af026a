/**
 * `npm run faults [-- --scenario A|B] [--kinds throttle,errorAfter] [--stride S] [--users N] [--operations TransactWriteItems,PUT] [--shard I/N] [--stale-heartbeat]`:
 * the exhaustive single-fault harness on its own local stack (moto). Prints every failing
 * case with the request it faulted, and the number of cases run. Exit 1 when any failed.
 * `--operations` faults only the requests of those operations (as the log names them:
 * `TransactWriteItems`, `UpdateItem`, `PUT` …), every one of them: a sweep of one write path.
 * `--shard I/N` runs every Nth case from the Ith (0-based), each shard on its own moto: N
 * processes side by side cover the sweep once. `--stale-heartbeat`: a killed attempt's last
 * heartbeat is lost with it, so its retry resumes from the one before (Temporal's SDK
 * throttles heartbeats, so the newest can die with the worker).
 */
import os from 'node:os';
import { startMotoServer } from '../../client/stack/localStack';
import type { Scenario } from '../../src/seed';
import { FAULT_KINDS, type FaultKind } from './faultProxy';
import { SingleFaultHarness } from './singleFault';

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  const scenario = (arg('scenario') ?? 'A') as Scenario;
  const kinds = (arg('kinds')?.split(',') ?? FAULT_KINDS) as FaultKind[];
  const stride = Number(arg('stride') ?? 1);
  const users = Number(arg('users') ?? 3);
  const operations = arg('operations')?.split(',');
  const staleHeartbeat = process.argv.includes('--stale-heartbeat');
  const [shard, shards] = (arg('shard') ?? '0/1').split('/').map(Number);
  if (!(shards >= 1 && shard >= 0 && shard < shards)) throw new Error(`--shard: expected I/N with 0 <= I < N, got "${arg('shard')}"`);
  const endpoint = process.env.AWS_ENDPOINT_URL;
  // Only the AWS emulator: the harness drives activities in process, without a Temporal server.
  const moto = endpoint ? undefined : await startMotoServer();
  const awsEndpoint = endpoint ?? moto!.endpoint;
  const started = Date.now();
  const harness = await SingleFaultHarness.create({ awsEndpoint, scenario, users });
  console.log(`scenario ${scenario}, ${users} users: ${harness.requestCount} requests in the fault-free write pass (prepared in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let cases = 0;
  let failures = 0;
  let considered = 0;
  try {
    for (const kind of kinds) {
      for (let k = 1; k <= harness.requestCount; k += operations ? 1 : stride) {
        if (operations && !operations.includes(harness.operations[k - 1].split(' ')[1])) continue;
        if (considered++ % shards !== shard) continue;
        const result = await harness.runCase(kind, k, { staleHeartbeat });
        cases++;
        if (cases % 25 === 0) console.log(`  ${kind} up to request ${k}: ${cases} cases, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        if (result.problems.length > 0) {
          failures++;
          console.log(`FAIL ${kind} at request ${k} (${harness.describeRequest(k)}), ${result.retries} retries:`);
          for (const p of result.problems.slice(0, 8)) console.log(`    ${p}`);
        }
      }
      console.log(`${kind}: done (${cases} cases so far, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await harness.close();
    moto?.child.kill('SIGTERM');
  }
  console.log(`${cases - failures} passed, ${failures} failed${shards > 1 ? ` (shard ${shard} of ${shards}: one case in ${shards} of ${considered})` : ''}`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
