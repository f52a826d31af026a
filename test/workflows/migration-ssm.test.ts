/**
 * The Parameter Store phase: the parameters the client parses from the serverless
 * repository (test/fixtures/serverless-repo) exist in SSM after the run, with the exact values.
 */
import path from 'node:path';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { ssmPhaseInput } from '../../client/migrationInput';
import { testAwsClients } from '../support/aws';
import { migrationInput, runMigration, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { MigrationInput, MigrationReport } from '../../workflows/types';

const REPO = path.resolve(__dirname, '..', 'fixtures', 'serverless-repo');

describe('Parameter Store phase', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let input: MigrationInput;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 4 });
    const worker = await temporal.startWorker({ clients });
    input = {
      ...(await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions())),
      ssm: await ssmPhaseInput(REPO, seeded.deployment),
    };
    report = await runMigration(temporal, worker, input, `migration-${seeded.deployment.depName}-dev`);
  });
  afterAll(async () => temporal?.close());

  it('plans parameters from the repository', () => {
    expect(input.ssm!.parameters.length).toBeGreaterThan(5);
    expect(input.ssm!.parameters.some((p) => p.name.includes(seeded.deployment.depName))).toBe(true);
  });

  it('succeeds, reporting every parameter written or already up to date', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.ssm?.failureCount).toBe(0);
    const counters = report.ssm!.tables.PARAMETER_STORE;
    expect(counters).toMatchObject({ itemsRead: input.ssm!.parameters.length, failures: 0 });
    // The stage-wide shared parameters (/amplify/dev/…) may exist already from another test file on this moto server.
    expect(counters.itemsWritten + counters.itemsUnchanged).toBe(input.ssm!.parameters.length);
    expect(counters.itemsWritten).toBeGreaterThan(0);
  });

  it('names the template service as skipped, with the reason, in the Parameter Store plan and result, and writes nothing for it', async () => {
    const reason =
      'example-service is a template service (amplify-lambda-python-base), not a deployment and not in serverless-compose.yml: not populated; pass --include-template-services to populate it';
    expect(input.ssm!.skippedServices).toEqual([{ service: 'example-service', file: 'sample-template/serverless.yml', reason }]);
    expect(input.ssm!.parameters.filter((p) => p.service === 'example-service')).toEqual([]);
    expect(report.ssm!.problems).toEqual([{ kind: 'warning', where: 'PARAMETER_STORE', source: 'sample-template/serverless.yml', target: 'example-service', reason }]);
    const name = `/amplify/${seeded.deployment.stage}/example-service/SAMPLE_TABLE`;
    expect((await clients.ssm.send(new GetParametersCommand({ Names: [name] }))).InvalidParameters).toEqual([name]);
    // Only with the explicit flag is it planned.
    const included = await ssmPhaseInput(REPO, seeded.deployment, true);
    expect(included!.skippedServices).toBeUndefined();
    expect(included!.parameters.filter((p) => p.service === 'example-service').map((p) => p.name)).toEqual([name]);
  });

  it('stores every parameter with its exact value', async () => {
    const expected = new Map(input.ssm!.parameters.map((p) => [p.name, p.value]));
    const stored = new Map<string, string | undefined>();
    const names = [...expected.keys()];
    for (let i = 0; i < names.length; i += 10) {
      const out = await clients.ssm.send(new GetParametersCommand({ Names: names.slice(i, i + 10), WithDecryption: true }));
      expect(out.InvalidParameters ?? []).toEqual([]);
      for (const p of out.Parameters ?? []) stored.set(p.Name!, p.Value);
    }
    expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(expected));
  });
});
