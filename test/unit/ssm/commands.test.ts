/** Input handling of the ssm commands and the repository loader (no AWS call is reached). */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadServerlessRepo } from '../../../client/ssm/loadRepo';
import { runDiff, runPopulate, runVerify, type CommandIo } from '../../../client/ssm/run';
import { FIXTURE_REPO, NEGATIVE_REPO } from './fixture';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const unreachable = () => {
    throw new Error('no AWS call expected');
  };
  const value: CommandIo = {
    ssm: { writeParameters: unreachable, readParameters: unreachable, readParametersByPath: unreachable, deleteParameters: unreachable },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  };
  return { io: value, out, err };
}

describe('loadServerlessRepo', () => {
  it('finds the immediate service folders in sorted order, skipping hidden folders', async () => {
    const repo = await loadServerlessRepo(FIXTURE_REPO, { stage: 'dev' });
    expect(repo.services.map((s) => [s.folder, path.relative(FIXTURE_REPO, s.file)])).toEqual([
      ['core-lambda', 'core-lambda/serverless.yml'],
      ['ops-admin', 'ops-admin/serverless.yml'],
      ['sample-template', 'sample-template/serverless.yml'],
      ['vector-index', 'vector-index/serverless.yml'],
    ]);
    expect(repo.foldersWithoutServerless).toEqual(['docs', 'negative-cases', 'var']);
    expect(repo.varFile?.file).toBe(path.join(FIXTURE_REPO, 'var', 'dev-var.yml'));
    expect(repo.varFile?.text).toContain('CUSTOM_API_DOMAIN: "api.example.test"');
  });

  it('returns no var file when the stage has none', async () => {
    const repo = await loadServerlessRepo(FIXTURE_REPO, { stage: 'prod' });
    expect(repo.varFile).toBeUndefined();
    expect(repo.varFilePath).toBe(path.join(FIXTURE_REPO, 'var', 'prod-var.yml'));
  });
});

describe('ssm commands on bad input', () => {
  it('names a missing repository folder in one line, exit 2', async () => {
    const t = io();
    const code = await runPopulate({ repo: '/nonexistent/repo', stage: 'dev', depName: 'd1' }, t.io);
    expect(code).toBe(2);
    expect(t.err).toEqual(['error: /nonexistent/repo: the serverless repository folder does not exist']);
  });

  it('names a missing var file, exit 2', async () => {
    const t = io();
    const code = await runDiff({ repo: FIXTURE_REPO, stage: 'prod', depName: 'd1' }, t.io);
    expect(code).toBe(2);
    expect(t.err).toEqual([
      `error: ${path.join(FIXTURE_REPO, 'var', 'prod-var.yml')}: var file not found (copy dev-var.yml-example to var/{stage}-var.yml, or pass --var-file)`,
    ]);
  });

  it('names the file and line of an unreadable var file, exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssm-bad-var-'));
    mkdirSync(path.join(dir, 'svc'));
    writeFileSync(path.join(dir, 'svc', 'serverless.yml'), 'service: x\n');
    mkdirSync(path.join(dir, 'var'));
    writeFileSync(path.join(dir, 'var', 'dev-var.yml'), 'LOG_LEVEL: INFO\nIDP_PREFIX: [unclosed\n');
    const t = io();
    const code = await runPopulate({ repo: dir, stage: 'dev', depName: 'd1', dryRun: true }, t.io);
    expect(code).toBe(2);
    expect(t.err).toHaveLength(1);
    expect(t.err[0]).toMatch(new RegExp(`^error: ${path.join(dir, 'var', 'dev-var.yml')}:\\d+: invalid YAML: `));
  });

  it('refuses a folder without any service', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssm-empty-'));
    const t = io();
    expect(await runVerify({ repo: dir, stage: 'dev', depName: 'd1' }, t.io)).toBe(2);
    expect(t.err).toEqual([`error: ${dir}: no service folder with a serverless.yml`]);
  });

  it('accepts an explicit --var-file (the negative-cases repository has none of its own)', async () => {
    const t = io();
    t.io.ssm.writeParameters = async (input) => ({
      dryRun: input.dryRun,
      total: { created: 0, updated: 0, unchanged: 0, skipped: input.skipped?.length ?? 0, failed: 0 },
      services: [],
      outcomes: [],
      failures: [],
      skipped: input.skipped ?? [],
    });
    const code = await runPopulate({ repo: NEGATIVE_REPO, stage: 'dev', depName: 'd1', varFile: path.join(FIXTURE_REPO, 'var', 'dev-var.yml'), dryRun: true }, t.io);
    // no-service/serverless.yml cannot be named: an input error in the plan, so the run fails.
    expect(code).toBe(1);
    expect(t.out.join('\n')).toContain('ERROR no-service/serverless.yml no-service: could not determine the service name');
  });
});
