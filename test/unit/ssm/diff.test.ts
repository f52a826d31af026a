import { buildParameterPlan, diffParameters, managedPrefixes } from '../../../src/ssm';
import { fixtureServices, fixtureVarFile } from './fixture';

const plan = buildParameterPlan({ stage: 'qa', depName: 'd1', services: fixtureServices(), varFile: fixtureVarFile() });

describe('diff of desired and existing parameters', () => {
  it('manages only the per-service paths of the discovered services', () => {
    expect(managedPrefixes(plan)).toEqual([
      '/amplify/qa/amplify-d1-core/',
      '/amplify/qa/amplify-d1-ops-admin/',
      '/amplify/qa/amplify-d1-vector-index/',
    ]);
  });

  it('does not manage a skipped template service path: what the legacy wrote there is not stale, so never pruned', () => {
    const existing = [{ name: '/amplify/qa/example-service/SAMPLE_TABLE', value: 'example-service-qa-sample-table', type: 'String' }];
    expect(diffParameters(plan, existing).stale).toEqual([]);
    const included = buildParameterPlan({ stage: 'qa', depName: 'd1', services: fixtureServices(), varFile: fixtureVarFile(), includeTemplateServices: true });
    expect(managedPrefixes(included)).toContain('/amplify/qa/example-service/');
    expect(diffParameters(included, [...existing, { name: '/amplify/qa/example-service/OLD', value: 'x', type: 'String' }]).stale.map((p) => p.name)).toEqual([
      '/amplify/qa/example-service/OLD',
    ]);
  });

  it('classifies create, update, unchanged and stale', () => {
    const existing = [
      { name: '/amplify/qa/DEP_NAME', value: 'd1', type: 'String' },
      { name: '/amplify/qa/LOG_LEVEL', value: 'INFO', type: 'String' },
      { name: '/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE', value: 'amplify-d1-core-qa-accounts', type: 'String' },
      { name: '/amplify/qa/amplify-d1-core/S3_ZIP_FILE_BUCKET_NAME', value: 'old-zip', type: 'String' },
      // Defined in the file as `!Ref AlertsTopic` (skipped), so not stale.
      { name: '/amplify/qa/amplify-d1-ops-admin/ALERTS_TOPIC_ARN', value: '!Ref AlertsTopic', type: 'String' },
      // Not a managed path: shared names and other services are never stale.
      { name: '/amplify/qa/WEB_SEARCH_AGENTCORE_ENABLED', value: 'true', type: 'String' },
      { name: '/amplify/qa/amplify-d1-other/X', value: 'x', type: 'String' },
      { name: '/amplify/qa/amplify-d1-core-extra/Y', value: 'y', type: 'String' },
    ];
    const diff = diffParameters(plan, existing);
    expect(diff.unchanged.map((c) => c.parameter.name)).toEqual(['/amplify/qa/DEP_NAME', '/amplify/qa/amplify-d1-core/ACCOUNTS_TABLE']);
    expect(diff.update.map((c) => [c.parameter.name, c.previous, c.parameter.value])).toEqual([['/amplify/qa/LOG_LEVEL', 'INFO', 'DEBUG']]);
    expect(diff.create).toHaveLength(plan.parameters.length - 3);
    expect(diff.stale).toEqual([{ name: '/amplify/qa/amplify-d1-core/S3_ZIP_FILE_BUCKET_NAME', value: 'old-zip', type: 'String' }]);
  });

  it('treats an existing SecureString as an update, never as unchanged', () => {
    const diff = diffParameters(plan, [{ name: '/amplify/qa/DEP_NAME', value: 'd1', type: 'SecureString' }]);
    expect(diff.update.map((c) => c.parameter.name)).toEqual(['/amplify/qa/DEP_NAME']);
  });
});
