/** Parameter Store operations and the ssm commands against the moto server. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { createParameterStore } from '../../activities/ssm';
import { destroyAwsClients } from '../../activities/aws/clients';
import { runDiff, runPopulate, runVerify, type CommandIo } from '../../client/ssm/run';
import { buildParameterPlan, type ParameterPlan } from '../../src/ssm';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { FIXTURE_REPO, fixtureServices, fixtureVarFile } from '../unit/ssm/fixture';

const clients = testAwsClients();
const ssm = createParameterStore(clients);
const depName = uniqueDepName();
const VAR_FILE = path.join(FIXTURE_REPO, 'var', 'dev-var.yml');

afterAll(() => destroyAwsClients(clients));

/** A stage of its own per test, so tests sharing the moto server never see each other's parameters. */
function freshStage(): string {
  return `t${randomBytes(3).toString('hex')}`;
}

function planFor(stage: string): ParameterPlan {
  return buildParameterPlan({ stage, depName, services: fixtureServices(), varFile: fixtureVarFile() });
}

function commandIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { ssm, out: (t) => out.push(t), err: (t) => err.push(t) };
  return { io, out: () => out.join('\n'), err };
}

const sortByName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => (a.name < b.name ? -1 : 1));

describe('SSM writes on the emulator', () => {
  it('writes exactly the planned parameters, as String with the legacy descriptions', async () => {
    const stage = freshStage();
    const plan = planFor(stage);
    const result = await ssm.writeParameters({ parameters: plan.parameters, skipped: plan.skipped, dryRun: false });

    expect(result.total).toEqual({ created: 27, updated: 0, unchanged: 0, skipped: 4, failed: 0 });
    expect(result.services).toEqual([
      { service: '(shared)', created: 15, updated: 0, unchanged: 0, skipped: 2, failed: 0 },
      { service: `amplify-${depName}-core`, created: 5, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
      { service: `amplify-${depName}-ops-admin`, created: 3, updated: 0, unchanged: 0, skipped: 1, failed: 0 },
      { service: `amplify-${depName}-vector-index`, created: 4, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
      // Only skipped (the template service): the activity lists it after the services it wrote to.
      { service: 'example-service', created: 0, updated: 0, unchanged: 0, skipped: 1, failed: 0 },
    ]);
    const stored = await ssm.readParametersByPath(`/amplify/${stage}`);
    expect(stored).toEqual(sortByName(plan.parameters).map((p) => ({ name: p.name, value: p.value, type: 'String' })));
    expect(stored.find((p) => p.name === `/amplify/${stage}/amplify-${depName}-core/LEGACY_SHARES_TABLE`)?.value).toBe(`amplify-${depName}-core-${stage}`);
    expect(stored.find((p) => p.name === `/amplify/${stage}/OAUTH_ENCRYPTION_PARAMETER`)?.value).toBe(
      `/amplify-${depName}-assistants-api/${stage}/oauth/integrations/encryption`,
    );

    const described = await clients.ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [`/amplify/${stage}/DEP_NAME`, `/amplify/${stage}/amplify-${depName}-core/ACCOUNTS_TABLE`] }],
      }),
    );
    expect(sortByName((described.Parameters ?? []).map((p) => ({ name: p.Name!, description: p.Description, type: p.Type })))).toEqual([
      { name: `/amplify/${stage}/DEP_NAME`, description: 'Shared variable used across all services', type: 'String' },
      { name: `/amplify/${stage}/amplify-${depName}-core/ACCOUNTS_TABLE`, description: `Locally defined variable from amplify-${depName}-core service`, type: 'String' },
    ]);
  });

  it('reports everything unchanged on a second run and writes nothing', async () => {
    const stage = freshStage();
    const plan = planFor(stage);
    await ssm.writeParameters({ parameters: plan.parameters, dryRun: false });
    const version = (await clients.ssm.send(new GetParameterCommand({ Name: `/amplify/${stage}/LOG_LEVEL` }))).Parameter?.Version;

    const again = await ssm.writeParameters({ parameters: plan.parameters, skipped: plan.skipped, dryRun: false });
    expect(again.total).toEqual({ created: 0, updated: 0, unchanged: 27, skipped: 4, failed: 0 });
    expect(again.outcomes.every((o) => o.action === 'unchanged')).toBe(true);
    expect((await clients.ssm.send(new GetParameterCommand({ Name: `/amplify/${stage}/LOG_LEVEL` }))).Parameter?.Version).toBe(version);
  });

  it('dry run reads and counts but writes nothing', async () => {
    const stage = freshStage();
    const plan = planFor(stage);
    await clients.ssm.send(new PutParameterCommand({ Name: `/amplify/${stage}/LOG_LEVEL`, Value: 'INFO', Type: 'String' }));
    await clients.ssm.send(new PutParameterCommand({ Name: `/amplify/${stage}/DEP_NAME`, Value: depName, Type: 'String' }));

    const result = await ssm.writeParameters({ parameters: plan.parameters, skipped: plan.skipped, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.total).toEqual({ created: 25, updated: 1, unchanged: 1, skipped: 4, failed: 0 });
    expect(result.outcomes.find((o) => o.action === 'updated')).toEqual({
      name: `/amplify/${stage}/LOG_LEVEL`,
      service: '(shared)',
      action: 'updated',
      value: 'DEBUG',
      previous: 'INFO',
    });
    expect(await ssm.readParametersByPath(`/amplify/${stage}`)).toEqual([
      { name: `/amplify/${stage}/DEP_NAME`, value: depName, type: 'String' },
      { name: `/amplify/${stage}/LOG_LEVEL`, value: 'INFO', type: 'String' },
    ]);
  });

  it('reports a changed value as updated and writes the new value as a new version', async () => {
    const stage = freshStage();
    const plan = planFor(stage);
    await ssm.writeParameters({ parameters: plan.parameters, dryRun: false });
    const name = `/amplify/${stage}/amplify-${depName}-core/ACCOUNTS_TABLE`;
    await clients.ssm.send(new PutParameterCommand({ Name: name, Value: 'hand-edited', Type: 'String', Overwrite: true }));

    const result = await ssm.writeParameters({ parameters: plan.parameters, dryRun: false });
    expect(result.total).toEqual({ created: 0, updated: 1, unchanged: 26, skipped: 0, failed: 0 });
    expect(result.outcomes.filter((o) => o.action === 'updated')).toEqual([
      { name, service: `amplify-${depName}-core`, action: 'updated', value: `amplify-${depName}-core-${stage}-accounts`, previous: 'hand-edited' },
    ]);
    const after = (await clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter;
    expect([after?.Value, after?.Version]).toEqual([`amplify-${depName}-core-${stage}-accounts`, 3]);
  });

  it('fails, without overwriting, a parameter that exists as a SecureString, and one SSM rejects (empty value)', async () => {
    const stage = freshStage();
    const secure = `/amplify/${stage}/DEP_NAME`;
    await clients.ssm.send(new PutParameterCommand({ Name: secure, Value: 'secret', Type: 'SecureString' }));
    const rejected = { name: `/amplify/${stage}/svc/EMPTY`, value: '', description: 'Locally defined variable from svc service', service: 'svc' };
    const fine = { name: `/amplify/${stage}/svc/FINE`, value: 'ok', description: 'Locally defined variable from svc service', service: 'svc' };
    const result = await ssm.writeParameters({
      parameters: [{ name: secure, value: depName, description: 'Shared variable used across all services', service: '(shared)' }, rejected, fine],
      dryRun: false,
    });
    expect(result.total).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 2 });
    expect(result.failures.map((f) => [f.name, f.service])).toEqual([
      [secure, '(shared)'],
      [rejected.name, 'svc'],
    ]);
    expect(result.failures[0].reason).toBe('exists as a SecureString parameter; not replaced with a String');
    expect(result.failures[1].reason).toMatch(/^ValidationException: /);
    expect((await clients.ssm.send(new GetParameterCommand({ Name: secure, WithDecryption: true }))).Parameter?.Type).toBe('SecureString');
  });
});

describe('ssm commands on the emulator', () => {
  it('populate prints a per-service and total summary and exits 0; a rerun is all unchanged', async () => {
    const stage = freshStage();
    const first = commandIo();
    expect(await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, first.io)).toBe(0);
    expect(first.out()).toContain(`created /amplify/${stage}/amplify-${depName}-vector-index/DOCS_URL = https://docs.example.test/index#section`);
    expect(first.out()).toContain(`skip  ops-admin/serverless.yml:22 /amplify/${stage}/amplify-${depName}-ops-admin/ALERTS_TOPIC_ARN: CloudFormation tag`);
    expect(first.out()).toMatch(/Total\s+created 27, updated 0, unchanged 0, skipped 4, failed 0/);

    const second = commandIo();
    expect(await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, second.io)).toBe(0);
    expect(second.out()).toMatch(/Total\s+created 0, updated 0, unchanged 27, skipped 4, failed 0/);
    expect(second.out()).toMatch(new RegExp(`amplify-${depName}-core\\s+created 0, updated 0, unchanged 5, skipped 0, failed 0`));
  });

  it('verify passes after populate, and fails naming the parameter once it is missing', async () => {
    const stage = freshStage();
    await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, commandIo().io);
    const ok = commandIo();
    expect(await runVerify({ repo: FIXTURE_REPO, stage, depName }, ok.io)).toBe(0);
    expect(ok.out()).toContain('OK: every required parameter exists');

    const accounts = `/amplify/${stage}/amplify-${depName}-core/ACCOUNTS_TABLE`;
    await clients.ssm.send(new DeleteParameterCommand({ Name: accounts }));
    const missing = commandIo();
    expect(await runVerify({ repo: FIXTURE_REPO, stage, depName }, missing.io)).toBe(1);
    expect(missing.out().split('\n').filter((l) => l.startsWith('MISSING'))).toEqual([`MISSING ${accounts} (referenced at ops-admin/serverless.yml:25)`]);
    // Optional references (with a default) are listed but do not fail the check.
    expect(missing.out()).toContain(`missing, optional (has a default) /amplify/${stage}/FEATURE_X_ENABLED`);
  });

  it('diff lists changes and stale parameters, and prune deletes only the stale ones, only with --yes', async () => {
    const stage = freshStage();
    await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, commandIo().io);
    const stale = `/amplify/${stage}/amplify-${depName}-core/S3_ZIP_FILE_BUCKET_NAME`;
    const unmanaged = [`/amplify/${stage}/WEB_SEARCH_AGENTCORE_ENABLED`, `/amplify/${stage}/amplify-${depName}-agent/X`];
    for (const name of [stale, ...unmanaged]) await clients.ssm.send(new PutParameterCommand({ Name: name, Value: 'old', Type: 'String' }));
    await clients.ssm.send(new PutParameterCommand({ Name: `/amplify/${stage}/LOG_LEVEL`, Value: 'INFO', Type: 'String', Overwrite: true }));
    const before = await ssm.readParametersByPath(`/amplify/${stage}`);

    const listed = commandIo();
    expect(await runDiff({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, listed.io)).toBe(0);
    expect(listed.out().split('\n').filter((l) => /^[+~-] /.test(l))).toEqual([
      `~ /amplify/${stage}/LOG_LEVEL = DEBUG (was: INFO)`,
      `- ${stale} = old (stale: no file defines it)`,
    ]);
    expect(listed.out()).toContain('0 to create, 1 to update, 26 unchanged, 1 stale');

    const unapproved = commandIo();
    expect(await runDiff({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, prune: true }, unapproved.io)).toBe(0);
    expect(unapproved.out()).toContain('--prune needs --yes: 1 stale parameter(s) would be deleted; nothing was deleted.');
    expect(await ssm.readParametersByPath(`/amplify/${stage}`)).toEqual(before);

    const pruned = commandIo();
    expect(await runDiff({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, prune: true, yes: true }, pruned.io)).toBe(0);
    expect(pruned.out()).toContain('Deleted 1 stale parameter(s).');
    expect(await ssm.readParametersByPath(`/amplify/${stage}`)).toEqual(before.filter((p) => p.name !== stale));
  });

  it('populate exits 1 and names the failure when a write fails', async () => {
    const stage = freshStage();
    await clients.ssm.send(new PutParameterCommand({ Name: `/amplify/${stage}/IDP_PREFIX`, Value: 'x', Type: 'SecureString' }));
    const run = commandIo();
    expect(await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, run.io)).toBe(1);
    expect(run.out()).toContain(`  /amplify/${stage}/IDP_PREFIX: exists as a SecureString parameter; not replaced with a String`);
    expect(run.out()).toMatch(/\(shared\)\s+created 14, updated 0, unchanged 0, skipped 2, failed 1/);
    expect(run.out()).toContain('FAILED: 1 parameter write(s) failed, 0 input error(s)');
  });
});

describe('template services (example-service) on the emulator', () => {
  const reason =
    'example-service is a template service (amplify-lambda-python-base), not a deployment and not in serverless-compose.yml: not populated; pass --include-template-services to populate it';
  const templateParameter = (stage: string) => `/amplify/${stage}/example-service/SAMPLE_TABLE`;

  it('populate skips and names it by default; --include-template-services populates it like any service', async () => {
    const stage = freshStage();
    const skipped = commandIo();
    expect(await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, skipped.io)).toBe(0);
    expect(skipped.out()).toContain('sample-template -> example-service (skipped: template)');
    expect(skipped.out()).toContain(`skipped service: sample-template/serverless.yml: ${reason}`);
    expect(skipped.out()).toContain(`  skip  sample-template/serverless.yml example-service: ${reason}`);
    expect(skipped.out()).toMatch(/example-service\s+created 0, updated 0, unchanged 0, skipped 1, failed 0/);
    expect((await ssm.readParametersByPath(`/amplify/${stage}/example-service`)).map((p) => p.name)).toEqual([]);

    const included = commandIo();
    expect(await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, includeTemplateServices: true }, included.io)).toBe(0);
    expect(included.out()).toContain(`created ${templateParameter(stage)} = example-service-${stage}-sample-table`);
    expect(included.out()).toMatch(/Total\s+created 1, updated 0, unchanged 27, skipped 3, failed 0/);
    expect(await ssm.readParametersByPath(`/amplify/${stage}/example-service`)).toEqual([
      { name: templateParameter(stage), value: `example-service-${stage}-sample-table`, type: 'String' },
    ]);
    const described = await clients.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [templateParameter(stage)] }] }));
    expect(described.Parameters?.map((p) => p.Description)).toEqual(['Locally defined variable from example-service service']);
  });

  it('verify does not check what the template reads unless asked (it reads the never-written /shared/ path)', async () => {
    const stage = freshStage();
    await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE }, commandIo().io);
    const ok = commandIo();
    expect(await runVerify({ repo: FIXTURE_REPO, stage, depName }, ok.io)).toBe(0);
    expect(ok.out()).toContain(`skipped service: sample-template/serverless.yml: ${reason}`);

    const asked = commandIo();
    expect(await runVerify({ repo: FIXTURE_REPO, stage, depName, includeTemplateServices: true }, asked.io)).toBe(1);
    expect(asked.out().split('\n').filter((l) => l.startsWith('MISSING'))).toEqual([
      `MISSING /amplify/${stage}/shared/CUSTOM_API_DOMAIN (referenced at sample-template/serverless.yml:13)`,
    ]);
  });

  it('diff never lists what the legacy wrote under the skipped template path as stale, so prune keeps it', async () => {
    const stage = freshStage();
    await runPopulate({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, includeTemplateServices: true }, commandIo().io);
    const before = await ssm.readParametersByPath(`/amplify/${stage}`);
    const pruned = commandIo();
    expect(await runDiff({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, prune: true, yes: true }, pruned.io)).toBe(0);
    expect(pruned.out()).toContain('0 to create, 0 to update, 27 unchanged, 0 stale');
    expect(pruned.out()).toContain(`skipped service: sample-template/serverless.yml: ${reason}`);
    expect(await ssm.readParametersByPath(`/amplify/${stage}`)).toEqual(before);

    const included = commandIo();
    expect(await runDiff({ repo: FIXTURE_REPO, stage, depName, varFile: VAR_FILE, includeTemplateServices: true }, included.io)).toBe(0);
    expect(included.out()).toContain('0 to create, 0 to update, 28 unchanged, 0 stale');
  });
});
