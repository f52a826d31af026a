/**
 * Round trip on the real stack (moto + the Temporal dev server): snapshot → a scenario A (ids
 * change) or B (ids kept: copies, conversions and pointers only) migration started as `start`
 * starts it (run id and ledger bucket in the memo, so its activities write the ledger),
 * Parameter Store phase included → revert → snapshot. In scenario B the revert runs on an
 * `amplify-migrate worker` process, which is SIGKILLed (kill -9) with its revert activity
 * mid-way: a few of its writes applied, the next one sent but held before the emulator (and
 * let through after the kill, so it lands with nobody to hear the answer). A new worker
 * retries the activity and finishes it: the end state is the same.
 *
 * Every table is byte-identical again (typed values included), every parameter the run wrote
 * has its value from before (or is gone if the run created it), and every bucket holds what it
 * held: the copies and archives the run made are gone, while the consolidation bucket's own
 * objects, one of them at a key a copy would have used (taken, so never overwritten), stay.
 */
import path from 'node:path';
import { GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ssmPhaseInput } from '../../client/migrationInput';
import { TABLE_KEYS } from '../../src/deployment/catalogue';
import { migrationWorkflow } from '../../workflows/migration';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import type { MigrationInput, MigrationReport } from '../../workflows/types';
import { testAwsClients } from '../support/aws';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { GatedProxy, isWriteRequest } from '../support/gatedProxy';
import { runInBackground } from '../support/workflowControl';
import { startWorkerProcess } from '../support/workerProcess';

jest.setTimeout(900_000);

const REPO = path.resolve(__dirname, '..', 'fixtures', 'serverless-repo');

/** The revert's write at which its worker process is killed: after its plan, part-way through what it undoes. */
const KILL_AT_WRITE = 6;

describe.each([
  { scenario: 'A' as const, killMidRevert: false },
  { scenario: 'B' as const, killMidRevert: true },
])('revert round trip, scenario $scenario (worker killed mid-revert: $killMidRevert)', ({ scenario, killMidRevert }) => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let input: MigrationInput;
  let before: DeploymentSnapshot;
  let migrated: DeploymentSnapshot;
  let after: DeploymentSnapshot;
  let paramsBefore: Record<string, string | null>;
  let paramsMigrated: Record<string, string | null>;
  let paramsAfter: Record<string, string | null>;
  let report: MigrationReport;
  let revert: RevertReport;
  /** The attempts of the revert's applyRevert activity that completed it, by worker identity. */
  let applyCompletedBy: { identity: string; attempt: number }[] = [];
  let killedWorker: string | undefined;

  /** Every planned parameter's value (null: absent). */
  async function parameters(names: string[]): Promise<Record<string, string | null>> {
    const values: Record<string, string | null> = Object.fromEntries(names.map((n) => [n, null]));
    for (let i = 0; i < names.length; i += 10) {
      const out = await clients.ssm.send(new GetParametersCommand({ Names: names.slice(i, i + 10) }));
      for (const p of out.Parameters ?? []) values[p.Name!] = p.Value!;
    }
    return values;
  }

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario, users: 4 });
    const { deployment } = seeded;
    const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const runId = `rt${Date.now()}`;
    input = {
      ...(await migrationInput(clients, deployment, seeded.sample.users, testOptions({ skipBackups: true }), runId)),
      ssm: await ssmPhaseInput(REPO, deployment),
    };
    const names = input.ssm!.parameters.map((p) => p.name);
    // One parameter exists with another value: the run updates it, the revert puts the old value back.
    const deploymentParameter = input.ssm!.parameters.find((p) => p.name.includes(deployment.depName))!;
    await clients.ssm.send(new PutParameterCommand({ Name: deploymentParameter.name, Value: 'the value before the run', Type: 'String', Overwrite: true }));
    // The consolidation bucket's own objects: one elsewhere, and an identical copy already at the
    // key a user's agent-state object is copied to (the copy finds it taken and leaves it).
    await clients.s3.send(new PutObjectCommand({ Bucket: consolidation, Key: 'pre-existing/keep.json', Body: '{"keep":true}' }));
    const taken = seeded.sample.users.flatMap((u) => seeded.sample.objects.filter((o) => o.bucket === 'AGENT_STATE_BUCKET' && o.key.startsWith(`${u.oldId}/`)).map((o) => ({ o, u })))[0];
    expect(taken).toBeDefined();
    const takenKey = `agentState/${taken.u.newId}/${taken.o.key.slice(taken.u.oldId.length + 1)}`;
    await clients.s3.send(new PutObjectCommand({ Bucket: consolidation, Key: takenKey, Body: taken.o.body, ContentType: taken.o.contentType, Metadata: taken.o.metadata }));

    // The run's own artifacts (id map claim check, ledger, report) are left out: they are not data.
    const snapshot = () => snapshotDeployment(clients, deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    before = await snapshot();
    paramsBefore = await parameters(names);
    const first = runInBackground(await temporal.startWorker({ clients }));
    let second: ReturnType<typeof runInBackground> | undefined;
    const proxy = new GatedProxy(new URL(process.env.AWS_ENDPOINT_URL!));
    try {
      report = await temporal.client.workflow.execute(migrationWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `migration-${deployment.depName}-dev`,
        args: [input],
        memo: { runId, ledgerBucket: consolidation },
      });
      migrated = await snapshot();
      paramsMigrated = await parameters(names);
      let crashed: ReturnType<typeof startWorkerProcess> | undefined;
      if (killMidRevert) {
        // The revert goes to a worker process alone, its AWS calls through the gate.
        await first.stop();
        crashed = startWorkerProcess(temporal.taskQueue, { AWS_ENDPOINT_URL: await proxy.listen() });
        killedWorker = (await crashed.ready).identity;
        proxy.holdFrom(KILL_AT_WRITE, isWriteRequest);
      }
      const handle = await temporal.client.workflow.start(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${deployment.depName}-dev`,
        args: [{ runId, deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      });
      if (crashed) {
        // Settles either way, so nothing is left to reject unheard once the race is decided.
        const ended = handle.result().then(
          () => 'ended' as const,
          () => 'ended' as const,
        );
        if ((await Promise.race([proxy.holding().then(() => 'held' as const), ended])) === 'ended') {
          throw new Error(`the revert ended before its write ${KILL_AT_WRITE}: nothing to kill it in the middle of`);
        }
        crashed.child.kill('SIGKILL');
        expect(await crashed.exited).toEqual({ code: null, signal: 'SIGKILL' });
        // The held write reaches the emulator now, answered to a worker that is gone.
        proxy.release();
        second = runInBackground(await temporal.startWorker({ clients }));
      }
      revert = await handle.result();
      const events = (await handle.fetchHistory()).events ?? [];
      const applyScheduled = new Set(
        events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyRevert').map((e) => String(e.eventId)),
      );
      applyCompletedBy = events.flatMap((e) => {
        const started = e.activityTaskStartedEventAttributes;
        return started && applyScheduled.has(String(started.scheduledEventId)) ? [{ identity: started.identity ?? '', attempt: started.attempt ?? 1 }] : [];
      });
    } finally {
      await second?.stop();
      await first.stop();
      proxy.release();
      await proxy.close();
    }
    after = await snapshot();
    paramsAfter = await parameters(names);
  });
  afterAll(async () => temporal?.close());

  it('the migration changed tables, objects and parameters, and the revert undid every ledger step without conflicts', () => {
    expect(report.outcome).toBe('succeeded');
    expect(TABLE_KEYS.filter((t) => migrated.tables[t].join('\n') !== before.tables[t].join('\n')).length).toBeGreaterThan(scenario === 'A' ? 5 : 0);
    expect(migrated.tables.USER_DATA_STORAGE_TABLE).not.toEqual(before.tables.USER_DATA_STORAGE_TABLE);
    expect(paramsMigrated).not.toEqual(paramsBefore);
    expect(revert.outcome).toBe('reverted');
    expect(revert.totals!.problems).toEqual([]);
    expect(revert.totals!.problemCount).toBe(0);
    const consolidation = seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    for (const where of [consolidation, 'Parameter Store', seeded.deployment.tables.USER_DATA_STORAGE_TABLE]) {
      expect({ where, undone: (revert.totals!.byWhere[where]?.undone ?? 0) > 0 }).toEqual({ where, undone: true });
    }
  });

  if (killMidRevert) {
    it('was killed mid-revert: the revert activity was retried by the new worker, and undid more than it had before the kill', () => {
      expect(applyCompletedBy.length).toBeGreaterThan(0);
      for (const completed of applyCompletedBy) {
        expect(completed.identity).not.toBe(killedWorker);
        expect(completed.attempt).toBeGreaterThanOrEqual(2);
      }
      const undone = Object.values(revert.totals!.byWhere).reduce((sum, w) => sum + (w.undone ?? 0), 0);
      expect(undone).toBeGreaterThan(KILL_AT_WRITE);
    });
  }

  it('leaves every table byte-identical to before the run, typed values included', () => {
    for (const table of TABLE_KEYS) expect({ table, items: after.tables[table] }).toEqual({ table, items: before.tables[table] });
  });

  it('leaves every parameter as before: updated ones have their old value, created ones are gone', () => {
    expect(paramsAfter).toEqual(paramsBefore);
  });

  it('leaves every bucket as before: the copies and archives the run made are gone, the consolidation bucket keeps its own objects', () => {
    expect(Object.keys(migrated.buckets.S3_CONSOLIDATION_BUCKET_NAME).length).toBeGreaterThan(Object.keys(before.buckets.S3_CONSOLIDATION_BUCKET_NAME).length);
    expect(snapshotDiff(before, after)).toEqual({});
  });
});
