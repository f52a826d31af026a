import { buildParameterPlan, SHARED_SERVICE, templateSkipReason } from '../../../src/ssm';
import { fixtureServices, fixtureVarFile } from './fixture';

const D = 'd1';
const S = 'qa';

function plan() {
  return buildParameterPlan({ stage: S, depName: D, services: fixtureServices(), varFile: fixtureVarFile() });
}

describe('parameter plan for the fixture repository', () => {
  it('plans exactly these parameters, shared first, then services in folder order', () => {
    expect(plan().parameters.map((p) => [p.name, p.value])).toEqual([
      ['/amplify/qa/LLM_ENDPOINTS_SECRETS_NAME', 'qa-openai-endpoints'],
      ['/amplify/qa/SECRETS_ARN_NAME', 'qa-amplify-app-secrets'],
      ['/amplify/qa/APP_ARN_NAME', 'qa-amplify-app-vars'],
      ['/amplify/qa/OAUTH_ENCRYPTION_PARAMETER', '/amplify-d1-assistants-api/qa/oauth/integrations/encryption'],
      ['/amplify/qa/DEP_NAME', 'd1'],
      ['/amplify/qa/ADMINS', 'admin@example.test,ops@example.test'],
      ['/amplify/qa/CHANGE_SET_BOOLEAN', 'false'],
      ['/amplify/qa/CUSTOM_API_DOMAIN', 'api.example.test'],
      ['/amplify/qa/DEP_REGION', 'us-west-2'],
      ['/amplify/qa/IDP_PREFIX', 'ExampleIdP'],
      ['/amplify/qa/LOG_LEVEL', 'DEBUG'],
      ['/amplify/qa/OAUTH_AUDIENCE', 'https://app.example.test'],
      ['/amplify/qa/OAUTH_ISSUER_BASE_URL', 'https://issuer.example.test/pool'],
      ['/amplify/qa/MAX_ACU', '16'],
      ['/amplify/qa/MIN_ACU', '0.5'],
      ['/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE', 'amplify-d1-core-qa-accounts'],
      ['/amplify/qa/amplify-d1-core/FILES_TABLE', 'amplify-d1-core-qa-user-files'],
      ['/amplify/qa/amplify-d1-core/LEGACY_SHARE_BUCKET', 'amplify-d1-core-qa-share'],
      ['/amplify/qa/amplify-d1-core/LEGACY_SHARES_TABLE', 'amplify-d1-core-qa'],
      ['/amplify/qa/amplify-d1-core/CORE_IAM_POLICY_NAME', 'amplify-d1-core-qa-core-policy'],
      ['/amplify/qa/amplify-d1-ops-admin/GROUPS_TABLE', 'amplify-d1-ops-admin-qa-groups'],
      ['/amplify/qa/amplify-d1-ops-admin/ALERTS_TOPIC_NAME', 'amplify-d1-ops-admin-qa-alerts'],
      ['/amplify/qa/amplify-d1-ops-admin/ADMIN_AUDIT_ENABLED', 'true'],
      // sample-template (example-service) is a template service: skipped by default, see below.
      ['/amplify/qa/amplify-d1-vector-index/INDEX_PROGRESS_TABLE', 'amplify-d1-vector-index-qa-progress'],
      ['/amplify/qa/amplify-d1-vector-index/CLUSTER_NAME', 'qa-amplify-d1-vector-index-cluster'],
      ['/amplify/qa/amplify-d1-vector-index/COST_TABLE', 'amplify-d1-core-qa-costs'],
      // The legacy cut this at '#'; YAML keeps a '#' that is not preceded by a space.
      ['/amplify/qa/amplify-d1-vector-index/DOCS_URL', 'https://docs.example.test/index#section'],
    ]);
  });

  it('writes the legacy descriptions and service labels', () => {
    const byName = new Map(plan().parameters.map((p) => [p.name, p]));
    expect(byName.get('/amplify/qa/DEP_NAME')).toEqual({
      name: '/amplify/qa/DEP_NAME',
      value: 'd1',
      description: 'Shared variable used across all services',
      service: SHARED_SERVICE,
    });
    expect(byName.get('/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE')).toEqual({
      name: '/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE',
      value: 'amplify-d1-core-qa-accounts',
      description: 'Locally defined variable from amplify-d1-core service',
      service: 'amplify-d1-core',
    });
  });

  it('reports exactly what it does not write, with file and line', () => {
    expect(plan().skipped).toEqual([
      {
        name: '/amplify/qa/BEDROCK_GUARDRAIL_ID',
        service: SHARED_SERVICE,
        file: 'var/dev-var.yml',
        line: 14,
        severity: 'warning',
        reason: 'empty value: SSM rejects empty parameters, so it is not written',
      },
      {
        name: '/amplify/qa/EMBEDDING_DIM',
        service: SHARED_SERVICE,
        file: 'var/dev-var.yml',
        line: 13,
        severity: 'warning',
        reason: 'empty value: SSM rejects empty parameters, so it is not written',
      },
      {
        name: '/amplify/qa/amplify-d1-ops-admin/ALERTS_TOPIC_ARN',
        service: 'amplify-d1-ops-admin',
        file: 'ops-admin/serverless.yml',
        line: 22,
        severity: 'warning',
        reason: 'CloudFormation tag "!Ref AlertsTopic" can only be resolved by CloudFormation',
      },
      {
        service: 'example-service',
        file: 'sample-template/serverless.yml',
        severity: 'warning',
        reason:
          'example-service is a template service (amplify-lambda-python-base), not a deployment and not in serverless-compose.yml: not populated; pass --include-template-services to populate it',
      },
    ]);
  });

  it('summarises each service, and names the one only the lenient path could read', () => {
    expect(plan().services).toEqual([
      { folder: 'core-lambda', file: 'core-lambda/serverless.yml', nameSource: 'yaml', service: 'amplify-d1-core', parameterCount: 5 },
      { folder: 'ops-admin', file: 'ops-admin/serverless.yml', nameSource: 'yaml', service: 'amplify-d1-ops-admin', parameterCount: 3 },
      {
        folder: 'sample-template',
        file: 'sample-template/serverless.yml',
        nameSource: 'yaml',
        service: 'example-service',
        parameterCount: 0,
        skippedReason: templateSkipReason('example-service'),
      },
      {
        folder: 'vector-index',
        file: 'vector-index/serverless.yml',
        nameSource: 'lenient',
        yamlError: 'Unresolved tag: !ImportValue',
        service: 'amplify-d1-vector-index',
        parameterCount: 4,
      },
    ]);
  });

  it('does not depend on the order the caller lists the folders in', () => {
    const reversed = buildParameterPlan({ stage: S, depName: D, services: fixtureServices().reverse(), varFile: fixtureVarFile() });
    expect(reversed).toEqual(plan());
  });

  it('does not capture the variables above the section or the imported ones', () => {
    const names = plan().parameters.map((p) => p.name);
    expect(names).not.toContain('/amplify/qa/amplify-d1-ops-admin/TOOL_GATEWAY_NAME');
    expect(names).not.toContain('/amplify/qa/amplify-d1-ops-admin/TOOL_ROLE_ARN');
    expect(names.filter((n) => n.startsWith('/amplify/qa/amplify-d1-core/'))).toHaveLength(5);
    expect(names).not.toContain('/amplify/qa/amplify-d1-core/GROUPS_TABLE');
    expect(names).not.toContain('/amplify/qa/amplify-d1-core/CLUSTER_NAME');
    expect(names).not.toContain('/amplify/qa/amplify-d1-core/SERVICE_NAME');
    expect(names).not.toContain('/amplify/qa/amplify-d1-ops-admin/ACCOUNTS_TABLE');
    expect(names).not.toContain('/amplify/qa/amplify-d1-vector-index/FILES_TABLE');
  });

  it('rejects a parameter name defined by two folders that resolve to the same service', () => {
    const [core] = fixtureServices();
    const copy = { folder: 'core-lambda-copy', text: core.text };
    const result = buildParameterPlan({ stage: S, depName: D, services: [core, copy], varFile: fixtureVarFile() });
    expect(result.parameters.filter((p) => p.service === 'amplify-d1-core')).toHaveLength(5);
    expect(result.skipped.filter((s) => s.severity === 'error').map((s) => [s.name, s.reason])).toEqual(
      ['ACCOUNTS_TABLE', 'FILES_TABLE', 'LEGACY_SHARE_BUCKET', 'LEGACY_SHARES_TABLE', 'CORE_IAM_POLICY_NAME'].map((v) => [
        `/amplify/qa/amplify-d1-core/${v}`,
        'also defined by core-lambda/serverless.yml',
      ]),
    );
  });
});

describe('template services (legacy/parameter-store.md §1.12 item 8)', () => {
  const withTemplates = () => buildParameterPlan({ stage: S, depName: D, services: fixtureServices(), varFile: fixtureVarFile(), includeTemplateServices: true });

  it('are planned only with includeTemplateServices, exactly as any other service', () => {
    const included = withTemplates();
    const skipped = plan();
    const extra = included.parameters.filter((p) => !skipped.parameters.some((q) => q.name === p.name));
    expect(extra).toEqual([
      {
        name: '/amplify/qa/example-service/SAMPLE_TABLE',
        value: 'example-service-qa-sample-table',
        description: 'Locally defined variable from example-service service',
        service: 'example-service',
      },
    ]);
    expect(included.services.find((s) => s.folder === 'sample-template')).toEqual({
      folder: 'sample-template',
      file: 'sample-template/serverless.yml',
      nameSource: 'yaml',
      service: 'example-service',
      parameterCount: 1,
    });
    expect(included.skipped.filter((s) => s.service === 'example-service')).toEqual([]);
  });

  it('are recognised by the resolved service name, whatever the folder is called', () => {
    const [template] = fixtureServices().filter((s) => s.folder === 'sample-template');
    const renamed = buildParameterPlan({ stage: S, depName: D, services: [{ folder: 'amplify-lambda-python-base', text: template.text }] });
    expect(renamed.parameters.filter((p) => p.service === 'example-service')).toEqual([]);
    expect(renamed.services).toEqual([
      expect.objectContaining({ folder: 'amplify-lambda-python-base', service: 'example-service', skippedReason: templateSkipReason('example-service') }),
    ]);
  });
});
