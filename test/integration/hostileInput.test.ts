/**
 * Hostile input (issue 15 §1): every mistake an operator can make is refused before
 * anything is written. Each case runs the real CLI against a seeded deployment and
 * asserts the exit code, ONE line on stderr naming the problem, that no table, object or
 * parameter changed (a snapshot of the whole deployment and of Parameter Store before and
 * after), and that no workflow of the deployment was started.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paginateDescribeParameters, GetParametersCommand } from '@aws-sdk/client-ssm';
import { checkServerlessYaml } from '../../client/ssmRepoCheck';
import { activityLabel, closedRun } from '../../client/statusWords';
import { NUMERIC_FLAGS } from '../../client/numericFlags';
import { idMapObjectKey } from '../../activities/dynamo/idMapClaimCheck';
import { toCsv } from '../../src/seed';
import type { MigrationStatus } from '../../workflows/types';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { runCli, type CliResult } from '../support/cli';
import { listKeys } from '../support/emulator';
import { seedDeployment, testOptions, migrationInput, type SeededDeployment } from '../support/migration';
import { mapBounded } from '../support/concurrency';
import { snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { startMigration, waitForStatus } from '../support/workflowControl';
import { buildDeployment } from '../../src/deployment/catalogue';

const FIXTURE_REPO = path.resolve(__dirname, '..', 'fixtures', 'serverless-repo');

describe('hostile input is refused before anything is written', () => {
  const clients = testAwsClients();
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let dep: string;
  let goodCsv: string;
  let env: Record<string, string>;
  /**
   * Workflows started before this are no concern of this file: every deployment it names is
   * created after it (a minute early, for clock steps between this process and the server).
   */
  const since = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 3, itemsPerUser: 1, objectsPerUser: 1 });
    dep = seeded.deployment.depName;
    goodCsv = csvFile('good.csv', toCsv(seeded.sample.users));
    env = { AMPLIFY_MIGRATE_TASK_QUEUE: temporal.taskQueue };
  });
  afterAll(async () => temporal.close());

  function csvFile(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  }

  const target = () => ['--dep-name', dep, '--stage', 'dev'];

  /** Every Parameter Store parameter (name, version, value): a refused command writes none. */
  async function parameterHash(): Promise<string> {
    const names: string[] = [];
    for await (const page of paginateDescribeParameters({ client: clients.ssm }, {})) names.push(...(page.Parameters ?? []).map((p) => p.Name!));
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += 10) batches.push(names.slice(i, i + 10));
    const lines = (
      await mapBounded(batches, 4, async (batch) => (await clients.ssm.send(new GetParametersCommand({ Names: batch }))).Parameters ?? [])
    ).flatMap((parameters) => parameters.map((p) => `${p.Name} ${p.Version} ${p.Value}`));
    return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
  }

  /**
   * Every workflow whose id names the deployment (migration, its children, preflight, revert).
   * Only those started since this file began are listed (a visibility query): the shared dev
   * server holds every workflow the suite has run, and paging through all of them for each
   * snapshot was most of this file's time. The deployments named here are all created after
   * `since`, so none of their workflows is left out.
   */
  async function workflowsOf(depName: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query: `StartTime >= "${since}"` })) if (wf.workflowId.includes(depName)) ids.push(`${wf.workflowId} ${wf.status.name}`);
    return ids.sort();
  }

  interface World {
    deployment: DeploymentSnapshot;
    parameters: string;
    workflows: string[];
  }

  async function world(depName = dep): Promise<World> {
    const [deployment, parameters, workflows] = await Promise.all([snapshotDeployment(clients, seeded.deployment), parameterHash(), workflowsOf(depName)]);
    return { deployment, parameters, workflows };
  }

  /**
   * The world as the last refused command left it (equal to the world before it, or that
   * test failed). A refusal that follows compares against it instead of taking the same
   * snapshot again: in between, this file only runs commands that are refused or only read.
   * A test that writes on purpose (starts a migration, uploads an id map) forgets it first.
   */
  let lastWorld: World | undefined;
  const forgetWorld = () => (lastWorld = undefined);

  /** Runs the CLI and asserts: exit code, exactly one stderr line matching, nothing changed, no workflow started. */
  async function expectRefused(args: string[], code: number, problem: RegExp | string, extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
    const before = lastWorld ?? (await world());
    lastWorld = undefined;
    const r = await runCli(args, { ...env, ...extraEnv });
    const after = await world();
    const lines = r.stderr.trim().split('\n');
    expect({ code: r.code, lines: lines.length }).toEqual({ code, lines: 1 });
    if (typeof problem === 'string') expect(lines[0]).toContain(problem);
    else expect(lines[0]).toMatch(problem);
    expect(lines[0]).toMatch(/^amplify-migrate: /);
    expect(snapshotDiff(before.deployment, after.deployment)).toEqual({});
    expect(after.parameters).toBe(before.parameters);
    expect(after.workflows).toEqual(before.workflows);
    lastWorld = after;
    return r;
  }

  const start = (...extra: string[]) => ['start', ...target(), ...extra];

  describe('the id map', () => {
    it('--csv with --no-id-change, when the CSV changes ids: exit 2, the two conflict', async () => {
      await expectRefused(start('--csv', goodCsv, '--no-id-change'), 2, `${goodCsv} line 2: changes ${JSON.stringify(seeded.sample.users[0].oldId)} to`);
    });

    it('a CSV with bytes that are not UTF-8: exit 2 naming file and line', async () => {
      const file = csvFile('latin1.csv', Buffer.concat([Buffer.from(`old_id,new_id\n${seeded.sample.users[0].oldId},n1\nu-`), Buffer.from([0xff, 0xfe]), Buffer.from('bob,n2\n')]));
      await expectRefused(start('--csv', file), 2, `${file} line 3: not UTF-8: byte 0xff at byte 3 of the line`);
    });

    it.each([
      ['a "#"', 'team#x', 'contains "#"'],
      ['a "/"', 'dept/x', 'contains "/"'],
      ['over 2,048 bytes', 'x'.repeat(2049), 'is 2,049 bytes of UTF-8: ids are at most 2,048 bytes'],
      ['a newline', '"new\nline"', 'U+000A (line feed)'],
      ['a NUL', 'nul\u0000id', 'U+0000 (NUL)'],
    ])('a new_id with %s: exit 2 naming file, line and rule', async (_what, value, rule) => {
      const file = csvFile('badnew.csv', `old_id,new_id\n${seeded.sample.users[0].oldId},n1\n${seeded.sample.users[1].oldId},${value}\n`);
      const r = await expectRefused(start('--csv', file), 2, `${file} line 3: new_id`);
      expect(r.stderr).toContain(rule);
    });

    it('an extra column: exit 2 naming it (or --ignore-extra-columns)', async () => {
      const file = csvFile('extra.csv', `old_id,new_id,extra\n${seeded.sample.users[0].oldId},n1,z\n`);
      await expectRefused(start('--csv', file), 2, `${file} line 1: extra column(s) "extra"`);
      const validated = await runCli(['csv', 'validate', file, '--ignore-extra-columns']);
      expect(validated.code).toBe(0);
      expect(validated.stderr.trim()).toBe(`warning: ${file} line 1: ignoring column(s) "extra" (--ignore-extra-columns)`);
    });

    it.each([
      ['a missing file', () => path.join(dir, 'nope.csv'), /cannot read CSV .*nope\.csv: ENOENT/],
      ['an empty file', () => csvFile('empty.csv', ''), /empty\.csv: empty file/],
      ['a wrong header', () => csvFile('header.csv', 'old,new\na,b\n'), /header\.csv line 1: wrong header "old,new"/],
      ['a duplicate old_id', () => csvFile('dupold.csv', 'old_id,new_id\na@x.edu,1\na@x.edu,2\n'), /dupold\.csv line 3: duplicate old_id "a@x\.edu": also on line 2/],
      ['two users merged into one', () => csvFile('merge.csv', 'old_id,new_id\na@x.edu,1\nb@x.edu,1\n'), /merge\.csv line 3: duplicate new_id "1": also on line 2/],
      ['a chain', () => csvFile('chain.csv', 'old_id,new_id\na,b\nb,c\n'), /chain\.csv line 2: new_id "b" is the old_id of line 3/],
      ['a swap', () => csvFile('swap.csv', 'old_id,new_id\na,b\nb,a\n'), /swap\.csv line 2: new_id "b" is the old_id of line 3 .*swapped/],
      ['surrounding whitespace', () => csvFile('space.csv', 'old_id,new_id\n a@x.edu,1\n'), /space\.csv line 2: old_id " a@x\.edu" has leading or trailing whitespace/],
      ['a missing column in a row', () => csvFile('short.csv', 'old_id,new_id\na@x.edu\n'), /short\.csv line 2: missing columns/],
    ])('%s: exit 2, one line naming it', async (_what, file, problem) => {
      await expectRefused(start('--csv', file()), 2, problem);
    });

    it('csv validate refuses what start refuses', async () => {
      const file = csvFile('validate.csv', `old_id,new_id\na@x.edu,team#1\n`);
      const r = await runCli(['csv', 'validate', file]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^amplify-migrate: .*validate\.csv line 2: new_id "team#1" contains "#"/);
    });
  });

  describe('flags', () => {
    it.each(['0', '-1', 'abc', '1.5'])('--concurrency %s: exit 2', async (value) => {
      await expectRefused(start('--csv', goodCsv, '--concurrency', value), 2, `--concurrency must be a whole number from 1 to 1,000, not ${JSON.stringify(value)}`);
    });

    it('--scan-segments 0: exit 2 (it silently planned no scanned table)', async () => {
      await expectRefused(start('--csv', goodCsv, '--scan-segments', '0'), 2, '--scan-segments must be a whole number from 1 to 1,000, not "0"');
    });

    /** A command line that accepts each numeric flag, with its other required arguments. */
    const commandFor: Record<string, string[]> = {
      concurrency: ['seed', '--dep-name', 'x', '--stage', 'dev'],
      'scan-segments': ['start', '--dep-name', 'x', '--stage', 'dev', '--csv', 'x.csv'],
      'max-concurrent-activities': ['worker'],
      'max-concurrent-workflow-tasks': ['worker'],
      'task-queue-activities-per-second': ['worker'],
      'activities-per-second': ['worker'],
      'shutdown-grace-seconds': ['worker'],
      users: ['seed', '--dep-name', 'x', '--stage', 'dev'],
      'items-per-user': ['seed', '--dep-name', 'x', '--stage', 'dev'],
      'objects-per-user': ['seed', '--dep-name', 'x', '--stage', 'dev'],
      'object-bytes': ['seed', '--dep-name', 'x', '--stage', 'dev'],
      seed: ['seed', '--dep-name', 'x', '--stage', 'dev'],
      'poll-seconds': ['backup', 'create', '--dep-name', 'x', '--stage', 'dev'],
      'timeout-minutes': ['backup', 'create', '--dep-name', 'x', '--stage', 'dev'],
      'max-age-hours': ['backup', 'verify', '--dep-name', 'x', '--stage', 'dev'],
      'temporal-port': ['stack'],
    };

    it('every numeric flag of every command is checked the same way: not a number, or below its minimum, exit 2', async () => {
      expect(Object.keys(commandFor).sort()).toEqual(Object.keys(NUMERIC_FLAGS).sort());
      const cases = Object.entries(NUMERIC_FLAGS).flatMap(([flag, rule]) => ['abc', rule.exclusiveMin ? String(rule.min) : String(rule.min - 1)].map((value) => ({ flag, value })));
      // Independent processes, a few at a time (each is mostly Node starting up); checked in order.
      const results = await mapBounded(cases, 4, ({ flag, value }) => runCli([...commandFor[flag], `--${flag}`, value], env));
      for (const [i, { flag, value }] of cases.entries()) {
        const r = results[i];
        expect({ flag, value, code: r.code, stderr: r.stderr.trim() }).toEqual({
          flag,
          value,
          code: 2,
          stderr: expect.stringMatching(new RegExp(`^amplify-migrate: --${flag} must be .*, not "${value}"$`)),
        });
      }
      forgetWorld(); // commands of other kinds ran (seed, backup, worker, stack): the next refusal looks afresh
      // The commands above never got to run: no workflow of the deployment "x", nothing seeded.
      expect(await workflowsOf('-x-')).toEqual([]);
      expect(await listKeys(clients, 'amplify-x-dev-consolidation').catch(() => [])).toEqual([]);
    });

    it('a bad --on-conflict: exit 2', async () => {
      await expectRefused(start('--csv', goodCsv, '--on-conflict', 'clobber'), 2, /on-conflict.*clobber/);
    });

    it('a bad deployment name or stage: exit 2', async () => {
      await expectRefused(['start', '--dep-name', 'V6!', '--stage', 'dev', '--csv', goodCsv], 2, 'invalid dep name "V6!"');
      await expectRefused(['start', '--dep-name', dep, '--stage', 'Dev_1', '--csv', goodCsv], 2, 'invalid stage "Dev_1"');
    });
  });

  describe('the deployment, AWS and Temporal', () => {
    it('a deployment whose tables do not exist (misspelt name): exit 3 at once, naming what is missing', async () => {
      const missing = uniqueDepName('nx');
      const before = await workflowsOf(missing);
      await expectRefused(['start', '--dep-name', missing, '--stage', 'dev', '--csv', goodCsv], 3, `deployment ${missing}/dev not found: none of its`);
      expect(await workflowsOf(missing)).toEqual(before);
    });

    it('an unreachable AWS endpoint on the client: exit 1 saying why, instead of silently passing the map inline', async () => {
      await expectRefused(start('--csv', goodCsv), 1, /this client cannot use AWS .*endpoint http:\/\/127\.0\.0\.1:1\).*: AWS endpoint unreachable \(ECONNREFUSED\)/, {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
        AWS_MAX_ATTEMPTS: '1',
      });
    });

    it('no AWS credentials on the client: exit 1 saying why', async () => {
      await expectRefused(start('--csv', goodCsv), 1, /this client cannot use AWS .*AWS credentials not found/, {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_PROFILE: 'amplify-migrate-test-no-such-profile',
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      });
    });

    it('an unreachable Temporal: exit 1, nothing written', async () => {
      await expectRefused(start('--csv', goodCsv), 1, 'cannot reach Temporal at 127.0.0.1:1', { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    });

    it('start while a migration of the deployment is running: refused before the id map is uploaded', async () => {
      // A run with no worker stays RUNNING at its first task: the deployment has a migration in flight.
      const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions());
      const running = await startMigration(temporal, input, `migration-${dep}-dev`);
      forgetWorld(); // the claim check just uploaded, the workflow just started
      try {
        const keysBefore = await listKeys(clients, seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, 'amplify-migrate/');
        const other = csvFile('other.csv', `old_id,new_id\n${seeded.sample.users[0].oldId},another-new-id\n`);
        for (const extra of [[], ['--dry-run']]) {
          await expectRefused(start('--csv', other, ...extra), 1, `a migration of ${dep}/dev is already running`);
        }
        expect(await listKeys(clients, seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, 'amplify-migrate/')).toEqual(keysBefore);
      } finally {
        await running.terminate('test done');
        forgetWorld();
      }
    });
  });

  describe('--ssm-repo', () => {
    function repoWith(name: string, serviceYaml: string): string {
      const repo = path.join(dir, name);
      mkdirSync(path.join(repo, 'var'), { recursive: true });
      copyFileSync(path.join(FIXTURE_REPO, 'var', 'dev-var.yml'), path.join(repo, 'var', 'dev-var.yml'));
      mkdirSync(path.join(repo, 'broken-lambda'), { recursive: true });
      writeFileSync(path.join(repo, 'broken-lambda', 'serverless.yml'), serviceYaml);
      return repo;
    }
    const TABBED = 'service: amplify-${self:custom.depName}-broken\nprovider:\n  environment:\n    # Locally Defined Variables\n\tX_TABLE: x\n';

    it('a serverless.yml that is not valid YAML: exit 2 naming file and line', async () => {
      const repo = repoWith('broken-repo', TABBED);
      await expectRefused(start('--csv', goodCsv, '--ssm-repo', repo), 2, `${path.join(repo, 'broken-lambda', 'serverless.yml')} line 5: not valid YAML: Tabs are not allowed as indentation`);
    });

    it('--ssm-lenient accepts it, each file named with its line (no run needed to see it)', async () => {
      const repo = repoWith('lenient-repo', TABBED);
      expect(await checkServerlessYaml(repo, 'dev', true)).toEqual([
        `warning: ${path.join(repo, 'broken-lambda', 'serverless.yml')} line 5: not valid YAML (Tabs are not allowed as indentation); read line by line (--ssm-lenient)`,
      ]);
      // CloudFormation tags the strict planner rejects (vector-index's scalar !ImportValue) are not YAML errors.
      expect(await checkServerlessYaml(FIXTURE_REPO, 'dev', false)).toEqual([]);
    });

    it('a missing repository: exit 2', async () => {
      await expectRefused(start('--csv', goodCsv, '--ssm-repo', path.join(dir, 'no-repo')), 2, 'the serverless repository folder does not exist');
    });
  });

  describe('what a dry run writes, unknown users, and what status says', () => {
    it('start --dry-run: warns per unknown old_id, writes only the listed id-map claim check, and says where the workers talk to AWS', async () => {
      const unknown = 'nobody-anywhere@example.edu';
      const csv = csvFile('dry.csv', `${toCsv(seeded.sample.users)}${unknown},nobody-new\n`);
      forgetWorld(); // this test writes (the claim check, a dry run's workflows)
      const before = await world();
      const worker = await temporal.startWorker({ clients });
      const [started, report, plan] = await worker.runUntil(async () => {
        const run = await runCli(start('--csv', csv, '--dry-run', '--wait', '--concurrency', '2', '--scan-segments', '1'), env);
        return [run, await runCli(['report', ...target(), '--json'], env), await runCli(['plan', ...target()], env)];
      });
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      expect(started.stdout).toContain(`warning: old_id "${unknown}" is not a user in ${seeded.deployment.tables.COGNITO_USERS_DYNAMODB_TABLE}`);
      expect(started.stdout).not.toContain(`warning: old_id "${seeded.sample.users[0].oldId}"`);
      // The plan and the report say it again, after the counts (the start output may be long gone).
      const table = seeded.deployment.tables.COGNITO_USERS_DYNAMODB_TABLE;
      expect(JSON.parse(report.stdout).unknownUsers).toEqual({ table, total: 1, shown: [unknown] });
      expect(plan.stdout).toContain(`warning: old_id "${unknown}" is not a user in ${table}`);
      expect(started.stdout.split(`warning: old_id "${unknown}"`)).toHaveLength(3);
      expect(started.stdout).toMatch(/AWS \(this client\): account \d+, region us-east-1, endpoint http/);
      expect(started.stdout).toMatch(/AWS \(workers\): account \d+, region us-east-1, endpoint http/);
      expect(started.stdout).not.toContain('warning: the workers use');

      const after = await world();
      const bucket = seeded.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
      const diff = snapshotDiff(before.deployment, after.deployment);
      const claim = JSON.parse(report.stdout).idMapClaimCheck as string;
      expect(claim).toMatch(new RegExp(`^s3://${bucket}/amplify-migrate/idmaps/[0-9a-f]{64}\\.json$`));
      const key = claim.slice(`s3://${bucket}/`.length);
      expect(key).toBe(idMapObjectKey(key.slice('amplify-migrate/idmaps/'.length, -'.json'.length)));
      // The only change: the claim check the report lists (tool-owned, under amplify-migrate/).
      expect(Object.keys(diff)).toEqual(['S3_CONSOLIDATION_BUCKET_NAME']);
      expect(diff.S3_CONSOLIDATION_BUCKET_NAME.removed).toEqual([]);
      expect(diff.S3_CONSOLIDATION_BUCKET_NAME.added.map((line) => line.split(' ')[0])).toEqual([key]);
      expect(after.parameters).toBe(before.parameters);
      expect(started.stdout).toContain(`id map stored at ${claim} (tool-owned; the only object this dry run writes)`);
    });

    it('status words: a real run before approval says what it writes; a closed run has no open gate', () => {
      const s = (phase: MigrationStatus['phase'], pass: 'plan' | 'run' = 'plan', dryRun = false) => activityLabel({ phase, pass, dryRun });
      expect(s('backup')).toBe('taking on-demand backups');
      expect(s('export')).toBe('exporting the old user-storage table (writing the export)');
      expect(s('ssm-write')).toBe('writing Parameter Store');
      expect(s('users')).toBe('planning (the dry-run pass of this run: nothing written)');
      expect(s('approval-gate')).toBe('plan ready: nothing migrated yet');
      expect(s('users', 'run')).toBe('migrating');
      expect(s('backup', 'plan', true)).toBe('dry run (reading only, nothing written)');
      const awaiting = { workflowId: 'migration-x-dev', phase: 'approval-gate', awaitingGate: 'migrate' } as MigrationStatus;
      expect(closedRun(awaiting, 'RUNNING')).toBeUndefined();
      const closed = closedRun(awaiting, 'CANCELLED')!;
      expect(closed.header).toBe('migration-x-dev: CANCELLED in phase approval-gate while awaiting gate "migrate"; nothing more runs');
      expect(closed.status.awaitingGate).toBeUndefined();
    });

    it('status of a cancelled run says CANCELLED, not AWAITING APPROVAL', async () => {
      const depName = uniqueDepName('cx');
      const workflowId = `migration-${depName}-dev`;
      // A run parked at the deployment gate (nothing deployed), then cancelled.
      const input = await migrationInput(clients, buildDeployment({ depName, stage: 'dev' }), seeded.sample.users, testOptions({ autoApprove: false }));
      const worker = await temporal.startWorker({ clients });
      const r = await worker.runUntil(async () => {
        const handle = await startMigration(temporal, input, workflowId);
        await waitForStatus(handle, (st) => st.phase === 'deployment-gate' && st.waitingFor !== undefined, 'the deployment gate');
        await handle.cancel();
        await handle.result().catch(() => undefined);
        return runCli(['status', '--dep-name', depName, '--stage', 'dev'], env);
      });
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`${workflowId}: CANCELLED in phase deployment-gate; nothing more runs`);
      expect(r.stdout).not.toMatch(/AWAITING|WAITING:/);
    });
  });
});
