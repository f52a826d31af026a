/**
 * `npm run demo`: the whole story on the embedded local stack.
 *   local stack (moto + Temporal dev server with a persistent database and its Web UI) →
 *   sample deployment seeded (users with adversarial ids, every table and bucket) →
 *   worker → preflight → migration (Parameter Store, backups, plan, gate, users, scans,
 *   verification, report) with live progress → report → Web UI link.
 * `--interactive` asks before approving each gate; `--keep` leaves the stack up afterwards.
 */
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { WorkflowHandle } from '@temporalio/client';
import { createAwsClients } from '../activities/aws/clients';
import { buildDeployment } from '../src/deployment/catalogue';
import { generateSampleDeployment } from '../src/seed';
import { approveUpdate, planQuery, rejectUpdate, statusQuery } from '../workflows/messages';
import { connectWorkerConnection, createWorker } from '../worker/worker';
import { temporalSettings } from '../worker/connection';
import { seedSampleDeployment } from './seed/seed';
import { PROJECT_ROOT, startLocalStack } from './stack/localStack';
import { connectClient } from './temporal';
import { runPreflight } from './commands/preflight';
import { exitCodeFor, followMigration, startMigration, webUiLink } from './commands/migration';
import { renderPreflight } from './render/preflight';
import { renderReport, renderTotals } from './render/progress';
import { SERVERLESS_REPO_FIXTURE } from './seed/seed';
import type { GateName } from '../workflows/types';

async function main(): Promise<number> {
  // The SDK versions are pinned by the lockfile; its notice about future Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = await yargs(hideBin(process.argv))
    .option('users', { type: 'number', default: 25 })
    .option('scenario', { type: 'string', choices: ['A', 'B'], default: 'A' })
    .option('interactive', { type: 'boolean', describe: 'ask before approving each gate' })
    .option('keep', { type: 'boolean', describe: 'keep the local stack (and its Web UI) running afterwards until Ctrl-C' })
    .option('data', { type: 'string', default: path.join(PROJECT_ROOT, '.data') })
    .strict()
    .parseAsync();

  const step = (text: string) => console.log(`\n=== ${text} ===`);
  step('starting the local stack (moto server + Temporal dev server)');
  const stack = await startLocalStack({ temporalDbFile: path.join(args.data, 'temporal.db'), ui: true, logDir: args.data });
  Object.assign(process.env, stack.env, { TEMPORAL_UI_URL: stack.uiUrl });
  console.log(`AWS endpoint ${stack.awsEndpoint}; Temporal ${stack.temporalAddress}; Web UI ${stack.uiUrl}`);

  const clients = createAwsClients();
  const settings = temporalSettings();
  const connection = await connectWorkerConnection(settings);
  const worker = await createWorker({ deps: { clients }, connection, namespace: settings.namespace });
  const workerRun = worker.run();
  const { client, close } = await connectClient();
  try {
    const deployment = buildDeployment({ depName: 'demo', stage: 'dev' });
    step(`seeding a sample deployment ${deployment.depName}/${deployment.stage}: ${args.users} users, scenario ${args.scenario}`);
    const sample = generateSampleDeployment({
      users: args.users,
      itemsPerUser: 3,
      objectsPerUser: 2,
      objectBytes: 1024,
      seed: 1,
      scenario: args.scenario as 'A' | 'B',
      deployment: { depName: deployment.depName, stage: deployment.stage },
    });
    const seeded = await seedSampleDeployment(clients, deployment, sample, {
      versionedBuckets: ['S3_CONSOLIDATION_BUCKET_NAME', 'S3_CONVERSATIONS_BUCKET_NAME', 'S3_SHARE_BUCKET_NAME', 'ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME'],
    });
    const items = Object.values(seeded.itemsWritten).reduce((a, b) => a + (b ?? 0), 0);
    const objects = Object.values(seeded.objectsWritten).reduce((a, b) => a + (b ?? 0), 0);
    console.log(`${items} items, ${objects} objects, ${sample.users.length} users in the CSV (+${sample.outsiders.length} users outside it)`);
    console.log(`adversarial ids among them: ${sample.users.slice(0, 4).map((u) => u.oldId).join(', ')}`);

    step('preflight');
    console.log(renderPreflight(await runPreflight(client, deployment)));

    step('migration');
    const handle = await startMigration(client, deployment, sample.users, {
      'dep-name': deployment.depName,
      stage: deployment.stage,
      'auto-approve': !args.interactive,
      'ssm-repo': SERVERLESS_REPO_FIXTURE,
      concurrency: 8,
    });
    console.log(`workflow ${handle.workflowId}\nWeb UI: ${webUiLink(handle.workflowId)}`);
    const gates = args.interactive ? answerGates(handle) : Promise.resolve();
    let planShown = false;
    const report = await followMigration(handle, async (status) => {
      console.log(status);
      if (!planShown) {
        const plan = await handle.query(planQuery).catch(() => undefined);
        if (plan) {
          planShown = true;
          console.log(`\n--- plan (the dry-run pass of this very run) ---\n${renderTotals(plan)}\n`);
        }
      }
    });
    await gates;
    step('report');
    console.log(renderReport(report));
    console.log(`\nWeb UI of this run: ${webUiLink(handle.workflowId)}`);
    if (args.keep) {
      console.log('\nthe stack stays up (Ctrl-C to stop it)');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return exitCodeFor(report);
  } finally {
    await close();
    worker.shutdown();
    await workerRun.catch(() => undefined);
    await connection.close();
    await stack.stop();
  }
}

/** Interactive mode: ask the operator at every gate the migration waits at. */
async function answerGates(handle: WorkflowHandle): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answered = new Set<GateName>();
  try {
    for (;;) {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') return;
      const status = await handle.query(statusQuery).catch(() => undefined);
      const gate = status?.awaitingGate;
      if (gate && gate !== 'deployed' && !answered.has(gate)) {
        const answer = await rl.question(`\napprove gate "${gate}"? (yes/no) `);
        answered.add(gate);
        if (/^y(es)?$/i.test(answer.trim())) await handle.executeUpdate(approveUpdate, { args: [gate] });
        else await handle.executeUpdate(rejectUpdate, { args: [gate, 'declined in the demo'] });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    rl.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
