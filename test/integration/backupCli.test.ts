import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import yargs from 'yargs';
import { listTableBackups } from '../../activities/backup';
import { backupCommand } from '../../client/backup/command';
import { CliError, EXIT } from '../../client/exitCodes';
import { createBucket, createTable } from '../../client/seed/provision';
import { fromExportLine } from '../../src/backup';
import { buildDeployment } from '../../src/deployment/catalogue';
import { testAwsClients, uniqueDepName } from '../support/aws';

/** Runs `amplify-migrate backup …` as the CLI does (strict parsing, CliError on bad input), capturing stdout. */
async function cli(...argv: string[]): Promise<string> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: unknown) => void lines.push(String(text)));
  try {
    await yargs(argv)
      .command(backupCommand)
      .strict()
      .fail((msg, err) => {
        throw err ?? new CliError(msg, EXIT.badInput);
      })
      .parseAsync();
    return lines.join('\n');
  } finally {
    log.mockRestore();
  }
}

async function cliError(...argv: string[]): Promise<CliError> {
  try {
    await cli(...argv);
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error(`expected "${argv.join(' ')}" to fail`);
}

describe('amplify-migrate backup (CLI, on the moto server)', () => {
  const clients = testAwsClients();
  const deployment = buildDeployment({ depName: uniqueDepName('bkcli'), stage: 'dev' });
  const dep = ['--dep-name', deployment.depName, '--stage', 'dev'];
  let workDir: string;

  beforeAll(async () => {
    for (const key of ['ACCOUNTS_DYNAMO_TABLE', 'SHARES_DYNAMODB_TABLE', 'OPS_DYNAMODB_TABLE', 'OLD_USER_STORAGE_TABLE'] as const) {
      await createTable(clients, deployment, key);
    }
    await createBucket(clients, deployment, 'S3_CONSOLIDATION_BUCKET_NAME', true);
    await clients.dynamo.send(
      new PutItemCommand({
        TableName: deployment.tables.OLD_USER_STORAGE_TABLE,
        Item: { PK: { S: 'alice#app#e' }, SK: { S: '1' }, data: { M: { on: { BOOL: true }, n: { N: '1.50' }, b: { B: new Uint8Array([0, 255]) } } } },
      }),
    );
    workDir = await mkdtemp(path.join(tmpdir(), 'backup-cli-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('create backs up the named tables, waits until AVAILABLE and prints names and ARNs', async () => {
    const out = await cli('backup', 'create', ...dep, '--tables', 'SHARES_DYNAMODB_TABLE,ACCOUNTS_DYNAMO_TABLE', '--run-id', 'r1', '--poll-seconds', '0');
    for (const [key, suffix] of [
      ['ACCOUNTS_DYNAMO_TABLE', 'accounts'],
      ['SHARES_DYNAMODB_TABLE', 'shares'],
    ] as const) {
      const [listed] = await listTableBackups(clients, deployment.tables[key]);
      expect(listed).toMatchObject({ backupName: `amplify-migrate-${deployment.depName}-dev-r1-${suffix}`, status: 'AVAILABLE' });
      expect(out).toContain(listed.backupArn);
      expect(out).toContain(listed.backupName);
    }
    expect(out).toContain('2 backup(s) AVAILABLE for run r1.');
    expect(await cli('backup', 'create', ...dep, '--tables', 'ACCOUNTS_DYNAMO_TABLE', '--run-id', 'r1', '--poll-seconds', '0')).toContain(
      '1 backup(s) AVAILABLE for run r1 (1 already existed).',
    );
  });

  it('verify passes for the backed-up tables and fails naming each table without a backup', async () => {
    const ok = await cli('backup', 'verify', ...dep, '--tables', 'ACCOUNTS_DYNAMO_TABLE,SHARES_DYNAMODB_TABLE');
    expect(ok).toContain('All 2 table(s) have a backup newer than 24 h.');

    // By default verify checks the tables a migration changes: the old user-storage table is
    // only read (and exported losslessly), so its missing backup is not a finding.
    const err = await cliError('backup', 'verify', ...dep, '--max-age-hours', '2');
    expect(err.exitCode).toBe(EXIT.prerequisitesMissing);
    expect(err.message).toBe(`1 table(s) without a backup newer than 2 h: ${deployment.tables.OPS_DYNAMODB_TABLE} (OPS_DYNAMODB_TABLE, missing)`);
    const explicit = await cliError('backup', 'verify', ...dep, '--max-age-hours', '2', '--tables', 'OLD_USER_STORAGE_TABLE');
    expect(explicit.message).toBe(`1 table(s) without a backup newer than 2 h: ${deployment.tables.OLD_USER_STORAGE_TABLE} (OLD_USER_STORAGE_TABLE, missing)`);
  });

  it('refuses unknown table keys, bucket keys and tables that do not exist', async () => {
    const unknown = await cliError('backup', 'create', ...dep, '--tables', 'ACCOUNTS_DYNAMO_TABLE,AGENT_STATE_BUCKET,NOPE');
    expect(unknown.exitCode).toBe(EXIT.badInput);
    expect(unknown.message).toContain('not a table config key: AGENT_STATE_BUCKET, NOPE');
    const missing = await cliError('backup', 'create', ...dep, '--tables', 'MEMORY_DYNAMO_TABLE');
    expect(missing.exitCode).toBe(EXIT.prerequisitesMissing);
    expect(missing.message).toBe(`table(s) do not exist: ${deployment.tables.MEMORY_DYNAMO_TABLE} (MEMORY_DYNAMO_TABLE)`);
    const empty = await cliError('backup', 'create', '--dep-name', uniqueDepName('none'), '--stage', 'dev');
    expect(empty.message).toMatch(/^no table of deployment none[0-9a-f]+\/dev exists/);
  });

  it('user-storage exports losslessly to a file, prints count and sha256, and never overwrites an export', async () => {
    const file = path.join(workDir, 'export.jsonl');
    const out = await cli('backup', 'user-storage', ...dep, '--output', file);
    const text = await readFile(file, 'utf8');
    const sha = require('node:crypto').createHash('sha256').update(text).digest('hex');
    expect(out).toBe(
      [`exported 1 item(s) of ${deployment.tables.OLD_USER_STORAGE_TABLE} to ${file}`, `bytes  ${Buffer.byteLength(text)}`, `sha256 ${sha}`].join('\n'),
    );
    expect(text.trimEnd().split('\n').map(fromExportLine)).toEqual([
      { PK: { S: 'alice#app#e' }, SK: { S: '1' }, data: { M: { on: { BOOL: true }, n: { N: '1.50' }, b: { B: new Uint8Array([0, 255]) } } } },
    ]);

    await writeFile(file, 'earlier export\n');
    const refused = await cliError('backup', 'user-storage', ...dep, '--output', file);
    expect(refused.message).toBe(`${file} already exists: choose another --output or move it away`);
    expect(await readFile(file, 'utf8')).toBe('earlier export\n');
  });

  it('user-storage exports to S3 with --s3 and explains a missing table', async () => {
    const bucket = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const out = await cli('backup', 'user-storage', ...dep, '--s3', `s3://${bucket}/exports/us.jsonl`, '--json');
    const result = JSON.parse(out);
    expect(result).toMatchObject({ items: 1, destination: { bucket, key: 'exports/us.jsonl' } });
    const body = await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'exports/us.jsonl' }))).Body!.transformToString();
    expect(require('node:crypto').createHash('sha256').update(body).digest('hex')).toBe(result.sha256);

    const other = buildDeployment({ depName: uniqueDepName('gone'), stage: 'dev' });
    const missing = await cliError('backup', 'user-storage', '--dep-name', other.depName, '--stage', 'dev', '--output', path.join(workDir, 'x.jsonl'));
    expect(missing.exitCode).toBe(EXIT.prerequisitesMissing);
    expect(missing.message).toContain(`the old user-storage table ${other.tables.OLD_USER_STORAGE_TABLE} does not exist: nothing to export`);
    expect((await cliError('backup', 'user-storage', ...dep, '--s3', 'bucket-only')).message).toBe('--s3 must look like s3://bucket/key, got "bucket-only"');
  });

  it('status reports PITR per table and versioning per bucket; enable-pitr turns PITR on', async () => {
    await cli('backup', 'enable-pitr', ...dep, '--tables', 'ACCOUNTS_DYNAMO_TABLE');
    const report = JSON.parse(await cli('backup', 'status', ...dep, '--json'));
    const pitr = Object.fromEntries(report.tables.map((t: { key: string; pointInTimeRecovery: string }) => [t.key, t.pointInTimeRecovery]));
    expect(pitr).toMatchObject({ ACCOUNTS_DYNAMO_TABLE: 'ENABLED', SHARES_DYNAMODB_TABLE: 'DISABLED', MEMORY_DYNAMO_TABLE: 'MISSING' });
    expect(report.tables).toHaveLength(45);
    const versioning = Object.fromEntries(report.buckets.map((b: { key: string; versioning: string }) => [b.key, b.versioning]));
    expect(versioning).toMatchObject({ S3_CONSOLIDATION_BUCKET_NAME: 'Enabled', S3_SHARE_BUCKET_NAME: 'MISSING' });
    expect(report.buckets).toHaveLength(13);

    const text = await cli('backup', 'status', ...dep);
    expect(text).toContain('3 existing table(s) without PITR (enable with "backup enable-pitr"); 0 existing bucket(s) not versioned');
  });
});
