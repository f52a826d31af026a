import { planService, readServiceName } from '../../../src/ssm';
import { service, serviceText } from './fixture';

describe('service name', () => {
  it('comes from the strict YAML parse when the legacy CloudFormation tags are used as the legacy allowed', () => {
    expect(readServiceName(service('core-lambda').text)).toEqual({ name: 'amplify-${self:custom.depName}-core', source: 'yaml' });
    expect(readServiceName(service('ops-admin').text)).toEqual({ name: 'amplify-${self:custom.depName}-ops-admin', source: 'yaml' });
  });

  it('falls back to the service: line when the strict parse rejects a scalar !ImportValue', () => {
    expect(readServiceName(service('vector-index').text)).toEqual({
      name: 'amplify-${self:custom.depName}-vector-index',
      source: 'lenient',
      yamlError: 'Unresolved tag: !ImportValue',
      line: 1,
    });
  });

  it.each([
    ['an unknown tag', 'x: !Select [0, [a]]'],
    ['tabs', 'x:\n\ty: 1'],
  ])('falls back on %s', (_label, extra) => {
    const read = readServiceName(`service: amplify-\${self:custom.depName}-x\n${extra}\n`);
    expect(read.source).toBe('lenient');
    expect(read.name).toBe('amplify-${self:custom.depName}-x');
  });

  it('reads the fallback value as YAML: quotes and trailing comments are not part of the name', () => {
    const text = serviceText('service: "amplify-${self:custom.depName}-q" # the q service', 'x: !Select [0, [a]]');
    expect(readServiceName(text).name).toBe('amplify-${self:custom.depName}-q');
  });

  it('only takes a top-level service: line in the fallback', () => {
    const text = serviceText('custom:', '  service: nested', 'service:  amplify-top', 'x: !Select [0, [a]]');
    expect(readServiceName(text).name).toBe('amplify-top');
  });

  it.each([
    ['the current form', 'amplify-${self:custom.depName}-a', 'amplify-d1-a'],
    ['the legacy form', 'amplify-${self:custom.stageVars.DEP_NAME}-a', 'amplify-d1-a'],
    ['a literal template name', 'example-service', 'example-service'],
  ])('resolves %s', (_label, raw, expected) => {
    const planned = planService({ folder: 'f', text: `service: ${raw}\n` }, 'qa', 'd1');
    expect(planned.summary.service).toBe(expected);
    expect(planned.skipped).toEqual([]);
  });

  it('fails the service when there is no service key', () => {
    const planned = planService({ folder: 'f', text: serviceText('provider:', '  environment:', '    # Locally Defined Variables', '    A: a') }, 'qa', 'd1');
    expect(planned.parameters).toEqual([]);
    expect(planned.skipped).toEqual([
      { service: 'f', file: 'f/serverless.yml', severity: 'error', reason: 'could not determine the service name (no top-level `service:` key)' },
    ]);
  });

  it('fails the service when its name keeps an unresolvable reference', () => {
    const planned = planService({ folder: 'f', text: 'service: amplify-${self:custom.prefix}-x\n' }, 'qa', 'd1');
    expect(planned.summary.service).toBeUndefined();
    expect(planned.skipped.map((s) => [s.severity, s.reason])).toEqual([
      ['error', 'service name "amplify-${self:custom.prefix}-x" contains the unresolvable reference ${self:custom.prefix}'],
    ]);
  });
});
