import { extractSsmReferences } from '../../../src/ssm';
import { fixtureServices, NEGATIVE_REPO, service, serviceText } from './fixture';

describe('${ssm:/amplify/...} references', () => {
  it('lists every reference of the fixture, resolved, with optional ones marked', () => {
    const scan = extractSsmReferences({ services: fixtureServices(), stage: 'qa', depName: 'd1' });
    expect(scan.references.map((r) => [r.name, r.optional, `${r.file}:${r.line}`])).toEqual([
      ['/amplify/qa/CUSTOM_API_DOMAIN', false, 'core-lambda/serverless.yml:17'],
      ['/amplify/qa/IDP_PREFIX', false, 'core-lambda/serverless.yml:18'],
      ['/amplify/qa/amplify-d1-ops-admin/GROUPS_TABLE', false, 'core-lambda/serverless.yml:30'],
      ['/amplify/qa/amplify-d1-vector-index/CLUSTER_NAME', true, 'core-lambda/serverless.yml:32'],
      ['/amplify/qa/ADMINS', false, 'ops-admin/serverless.yml:14'],
      ['/amplify/qa/FEATURE_X_ENABLED', true, 'ops-admin/serverless.yml:15'],
      ['/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE', false, 'ops-admin/serverless.yml:25'],
      ['/amplify/qa/MIN_ACU', false, 'vector-index/serverless.yml:14'],
      ['/amplify/qa/EMBEDDING_DIM', true, 'vector-index/serverless.yml:15'],
      ['/amplify/qa/amplify-d1-core/FILES_TABLE', false, 'vector-index/serverless.yml:24'],
    ]);
    expect(scan.unresolved).toEqual([]);
    expect(scan.skippedServices).toEqual([
      {
        folder: 'sample-template',
        file: 'sample-template/serverless.yml',
        service: 'example-service',
        reason:
          'example-service is a template service (amplify-lambda-python-base), not a deployment and not in serverless-compose.yml: not populated; pass --include-template-services to populate it',
      },
    ]);
  });

  it('checks the template service only when asked: it still reads the pre-2025-10 /shared/ path', () => {
    const scan = extractSsmReferences({ services: fixtureServices(), stage: 'qa', depName: 'd1', includeTemplateServices: true });
    expect(scan.references.filter((r) => r.folder === 'sample-template').map((r) => [r.name, r.optional, `${r.file}:${r.line}`])).toEqual([
      ['/amplify/qa/shared/CUSTOM_API_DOMAIN', false, 'sample-template/serverless.yml:13'],
    ]);
    expect(scan.skippedServices).toEqual([]);
  });

  it('ignores commented-out lines and names outside /amplify/', () => {
    const text = serviceText(
      'service: amplify-${self:custom.depName}-x',
      'provider:',
      '  environment:',
      '    # OLD: ${ssm:/amplify/${sls:stage}/OLD}',
      '    OTHER: ${ssm:/oauth/integrations/key}',
      '    TWO: ${ssm:/amplify/${sls:stage}/A}-${ssm:/amplify/${self:provider.stage}/B, ""}',
    );
    const scan = extractSsmReferences({ services: [{ folder: 'x', text }], stage: 'qa', depName: 'd1' });
    expect(scan.references.map((r) => [r.name, r.optional, r.line])).toEqual([
      ['/amplify/qa/A', false, 6],
      ['/amplify/qa/B', true, 6],
    ]);
  });

  it('reports a reference whose base path the file does not define', () => {
    const scan = extractSsmReferences({ services: [service('duplicate-key', NEGATIVE_REPO)], stage: 'qa', depName: 'd1' });
    expect(scan.references).toEqual([]);
    expect(scan.unresolved).toEqual([
      {
        folder: 'duplicate-key',
        file: 'duplicate-key/serverless.yml',
        line: 9,
        text: '${ssm:${self:custom.ssmBasePath}-core/ACCOUNTS_TABLE}',
        reason: 'unresolvable reference ${self:custom.ssmBasePath}',
      },
    ]);
  });
});
