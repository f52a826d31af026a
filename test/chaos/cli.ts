/**
 * `npm run chaos -- --users N --kills K --fault-rate P [--scenario A|B] [--temporal-restart]
 * [--writer] [--no-writer-conflicts] [--seed S] [--concurrency C] [--dynamodb moto|dynoxide]`: a chaos run on its own local stack (a moto server
 * and a Temporal dev server on a SQLite file, so it can be SIGKILLed and restarted), with
 * the figures of issue 15 §2 and issue 13. Exit 1 when any property failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, startDynoxideServer, startMotoServer } from '../../client/stack/localStack';
import { ensureDynoxide } from '../bench/requests';
import { parseChaosArgs } from './options';
import { RestartableTemporal } from './processes';
import { renderChaos } from './render';
import { runChaos } from './run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The emulator accepts any credentials; the SDK only needs some to sign with.
process.env.AWS_ACCESS_KEY_ID ??= 'testing';
process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
process.env.AWS_REGION ??= 'us-east-1';
const progress = (line: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<number> {
  let options;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const logDir = path.join(PROJECT_ROOT, '.stack', 'chaos', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logDir, { recursive: true });
  progress(`logs in ${path.relative(PROJECT_ROOT, logDir)}`);
  const moto = await startMotoServer(logDir);
  if (options.dynamodb === 'dynoxide') ensureDynoxide();
  const dynoxide = options.dynamodb === 'dynoxide' ? await startDynoxideServer(logDir) : undefined;
  let temporal: RestartableTemporal | undefined;
  try {
    temporal = await RestartableTemporal.start(path.join(logDir, 'temporal.db'), logDir);
    const stack = { awsEndpoint: moto.endpoint, dynamoEndpoint: dynoxide?.endpoint, temporal, taskQueue: 'amplify-migrate-chaos', logDir };
    const result = await runChaos(options, stack, progress);
    writeFileSync(path.join(logDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${renderChaos(result)}\n`);
    process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; details in ${path.relative(PROJECT_ROOT, path.join(logDir, 'result.json'))}\n`);
    return result.problems.length > 0 ? 1 : 0;
  } finally {
    await temporal?.stop();
    moto.child.kill('SIGTERM');
    dynoxide?.child.kill('SIGTERM');
  }
}

// Ctrl-C: exit through process.exit, whose 'exit' handlers SIGKILL the worker process groups
// and the servers this run started (a detached worker gets no SIGINT of its own).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
