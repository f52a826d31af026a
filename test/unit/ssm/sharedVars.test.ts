import { planSharedParameters, SHARED_ALLOW_LIST, SsmInputError } from '../../../src/ssm';

const input = (text: string) => ({ stage: 'qa', depName: 'd1', varFile: { file: 'var/qa-var.yml', text } });
const values = (text: string) => planSharedParameters(input(text)).parameters.map((p) => [p.name.replace('/amplify/qa/', ''), p.value]);

const HARD_CODED = [
  ['LLM_ENDPOINTS_SECRETS_NAME', 'qa-openai-endpoints'],
  ['SECRETS_ARN_NAME', 'qa-amplify-app-secrets'],
  ['APP_ARN_NAME', 'qa-amplify-app-vars'],
  ['OAUTH_ENCRYPTION_PARAMETER', '/amplify-d1-assistants-api/qa/oauth/integrations/encryption'],
  ['DEP_NAME', 'd1'],
];

describe('shared parameters from the var file', () => {
  it('has the 26 allow-listed keys', () => {
    expect(SHARED_ALLOW_LIST).toHaveLength(26);
    expect(new Set(SHARED_ALLOW_LIST).size).toBe(26);
  });

  it('writes the hard-coded four and the command-line DEP_NAME, ignoring the file for those', () => {
    expect(values('DEP_NAME: other\nSECRETS_ARN_NAME: from-file\nLLM_ENDPOINTS_SECRETS_NAME: from-file\n')).toEqual(HARD_CODED);
  });

  it('writes a complete var file as 31 parameters in the legacy order', () => {
    const text = [...SHARED_ALLOW_LIST].reverse().map((k) => `${k}: v-${k}`).join('\n');
    expect(values(text)).toEqual([...HARD_CODED, ...SHARED_ALLOW_LIST.map((k) => [k, `v-${k}`])]);
  });

  it('keeps scalars as written, lowercases booleans, and drops keys outside the allow-list', () => {
    const text = [
      'CHANGE_SET_BOOLEAN: False',
      'MAX_ACU: 16',
      'MIN_ACU: "0.5"',
      'RAG_POSTGRES_DB_PORT: 0755',
      'API_VERSION: 2024-02-15-preview',
      "IDP_PREFIX: 'Example' # a comment",
      'VPC_CIDR: yes',
      'OPENAI_API_KEY: secret',
      'WEB_SEARCH_AGENTCORE_ENABLED: false',
    ].join('\n');
    expect(values(text).slice(HARD_CODED.length)).toEqual([
      ['CHANGE_SET_BOOLEAN', 'false'],
      ['IDP_PREFIX', 'Example'],
      ['API_VERSION', '2024-02-15-preview'],
      ['MAX_ACU', '16'],
      ['MIN_ACU', '0.5'],
      ['VPC_CIDR', 'yes'],
      ['RAG_POSTGRES_DB_PORT', '0755'],
    ]);
  });

  it('skips empty, null and list values with a warning naming file and line', () => {
    const plan = planSharedParameters(input('ADMINS:\nEMBEDDING_DIM: ""\nVPC_ID: ~\nPRIVATE_SUBNET_ONE: [a, b]\nLOG_LEVEL: INFO\n'));
    expect(plan.parameters.map((p) => p.name)).toEqual([...HARD_CODED.map(([n]) => `/amplify/qa/${n}`), '/amplify/qa/LOG_LEVEL']);
    const empty = 'empty value: SSM rejects empty parameters, so it is not written';
    expect(plan.skipped).toEqual([
      { name: '/amplify/qa/ADMINS', service: '(shared)', file: 'var/qa-var.yml', line: 1, severity: 'warning', reason: empty },
      { name: '/amplify/qa/PRIVATE_SUBNET_ONE', service: '(shared)', file: 'var/qa-var.yml', line: 4, severity: 'warning', reason: 'not a single value (a list or mapping)' },
      { name: '/amplify/qa/VPC_ID', service: '(shared)', file: 'var/qa-var.yml', line: 3, severity: 'warning', reason: empty },
      { name: '/amplify/qa/EMBEDDING_DIM', service: '(shared)', file: 'var/qa-var.yml', line: 2, severity: 'warning', reason: empty },
    ]);
  });

  it('writes only DEP_NAME when there is no var file, and says so', () => {
    const plan = planSharedParameters({ stage: 'qa', depName: 'd1' });
    expect(plan.parameters.map((p) => [p.name, p.value])).toEqual([['/amplify/qa/DEP_NAME', 'd1']]);
    expect(plan.skipped).toEqual([{ service: '(shared)', file: 'var/qa-var.yml', severity: 'warning', reason: 'var file not found: only DEP_NAME is written' }]);
  });

  it.each([
    ['invalid YAML', 'A: 1\nB: [unclosed\n', /^var\/qa-var\.yml:\d+: invalid YAML: /],
    ['a duplicate key', 'LOG_LEVEL: a\nLOG_LEVEL: b\n', /^var\/qa-var\.yml:2: invalid YAML: Map keys must be unique/],
    ['an empty file', '', /^var\/qa-var\.yml: the var file must be a mapping/],
    ['a list', '- a\n- b\n', /^var\/qa-var\.yml: the var file must be a mapping/],
  ])('rejects %s with a one-line error', (_label, text, message) => {
    let thrown: unknown;
    try {
      planSharedParameters(input(text));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SsmInputError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
