/** The CLI as a process: one-line errors, exit codes, and no writes on bad input. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDeployment } from '../../src/deployment/catalogue';
import { provisionDeployment } from '../../client/seed/provision';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { runCli } from '../support/cli';
import { listKeys } from '../support/emulator';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { seedDeployment } from '../support/migration';
import { toCsv } from '../../src/seed';

describe('amplify-migrate CLI', () => {
  const clients = testAwsClients();
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => temporal.close());

  it('refuses a stage that cannot form resource names, in one line, exit 2', async () => {
    const r = await runCli(['preflight', '--dep-name', 'v6', '--stage', 'Dev_1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('amplify-migrate: invalid stage "Dev_1": use 1-31 lower-case letters, digits or hyphens, starting with a letter or digit');
  });

  it('names an unreachable Temporal endpoint, in one line, exit 1', async () => {
    const r = await runCli(['preflight', '--dep-name', 'v6', '--stage', 'dev'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^amplify-migrate: cannot reach Temporal at 127\.0\.0\.1:1/);
  });

  it('names missing AWS credentials, in one line, exit 1', async () => {
    const r = await runCli(['csv', 'generate', '--dep-name', 'v6', '--stage', 'dev', '--no-id-change'], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: 'amplify-migrate-test-no-such-profile',
      AWS_CONFIG_FILE: path.join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^amplify-migrate: AWS credentials not found/);
  });

  it('names an unreachable AWS endpoint, in one line, exit 1', async () => {
    const r = await runCli(['csv', 'generate', '--dep-name', 'v6', '--stage', 'dev', '--no-id-change'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^amplify-migrate: AWS endpoint unreachable \(ECONNREFUSED\)/);
  });

  it('rejects a bad CSV naming file and line, exit 2, and starts nothing', async () => {
    const depName = uniqueDepName('cli');
    const deployment = buildDeployment({ depName, stage: 'dev' });
    await provisionDeployment(clients, deployment, { tables: ['USER_DATA_STORAGE_TABLE'], buckets: ['S3_CONSOLIDATION_BUCKET_NAME'] });
    const csv = path.join(dir, 'users.csv');
    writeFileSync(csv, 'old_id,new_id\na@x.com,a\nb@x.com,a\n');
    const r = await runCli(['start', '--dep-name', depName, '--stage', 'dev', '--csv', csv], { AMPLIFY_MIGRATE_TASK_QUEUE: temporal.taskQueue });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${csv} line 3`);
    expect(r.stderr).toContain('duplicate new_id "a"');
    // Nothing written: no claim check in the bucket, no workflow.
    expect(await listKeys(clients, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME)).toEqual([]);
    await expect(temporal.client.workflow.getHandle(`migration-${depName}-dev`).describe()).rejects.toThrow(/not found/i);
  });

  it('preflight through a worker: every resource present exits 0; an empty deployment exits 3 naming the missing prerequisites', async () => {
    const worker = await temporal.startWorker({ clients });
    const env = { AMPLIFY_MIGRATE_TASK_QUEUE: temporal.taskQueue };
    const ready = uniqueDepName('cli');
    await provisionDeployment(clients, buildDeployment({ depName: ready, stage: 'dev' }));
    const empty = uniqueDepName('cli');
    const [ok, missing] = await worker.runUntil(
      Promise.all([
        runCli(['preflight', '--dep-name', ready, '--stage', 'dev'], env),
        runCli(['preflight', '--dep-name', empty, '--stage', 'dev', '--json'], env),
      ]),
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('READY');
    expect(missing.code).toBe(3);
    const report = JSON.parse(missing.stdout);
    expect(report.missingPrerequisites.map((m: { resource: string; remedy: string }) => [m.resource, m.remedy])).toEqual([
      ['S3_CONSOLIDATION_BUCKET_NAME', 'serverless amplify-lambda:deploy --stage dev'],
      ['USER_DATA_STORAGE_TABLE', 'serverless amplify-lambda:deploy --stage dev'],
    ]);
  });

  it('start --wait runs a whole migration and exits 0; report, status and list read it back', async () => {
    const seeded = await seedDeployment(clients, { scenario: 'A', users: 3 });
    const csv = path.join(dir, `${seeded.deployment.depName}.csv`);
    writeFileSync(csv, toCsv(seeded.sample.users));
    const env = { AMPLIFY_MIGRATE_TASK_QUEUE: temporal.taskQueue };
    const target = ['--dep-name', seeded.deployment.depName, '--stage', 'dev'];
    const worker = await temporal.startWorker({ clients });
    const [started, report, status, list] = await worker.runUntil(async () => {
      const run = await runCli(['start', ...target, '--csv', csv, '--auto-approve', '--wait', '--concurrency', '2', '--log', path.join(dir, 'start.log')], env);
      return [run, await runCli(['report', ...target, '--json'], env), await runCli(['status', ...target, '--json'], env), await runCli(['list', '--json'], env)];
    });
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`Migration ${seeded.deployment.depName}/dev`);
    expect(started.stdout).toContain('SUCCEEDED');
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ outcome: 'succeeded', users: { total: 3, done: 3, failed: 0 } });
    expect(JSON.parse(status.stdout)).toMatchObject({ phase: 'done', pass: 'run', users: { total: 3, done: 3 } });
    const row = (JSON.parse(list.stdout) as { workflowId: string; deployment: string; phase: string }[]).find((r) => r.workflowId === `migration-${seeded.deployment.depName}-dev`);
    expect(row).toMatchObject({ deployment: seeded.deployment.depName, phase: 'done' });
  });

  it('has --help for every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['preflight', 'worker', 'start', 'approve', 'reject', 'pause', 'resume', 'deployed', 'cancel', 'status', 'plan', 'report', 'list', 'retry-failed', 'csv', 'ssm', 'backup', 'seed', 'stack']) {
      expect(r.stdout).toContain(`amplify-migrate ${command}`);
    }
  });
});
