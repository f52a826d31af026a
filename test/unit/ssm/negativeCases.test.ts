/** The broken and unusual service files in test/fixtures/serverless-repo/negative-cases. */
import { buildParameterPlan } from '../../../src/ssm';
import { NEGATIVE_FOLDERS, NEGATIVE_REPO, service } from './fixture';

function planFor(folder: string) {
  return buildParameterPlan({ stage: 'qa', depName: 'd1', services: [service(folder, NEGATIVE_REPO)] });
}
const written = (folder: string) => planFor(folder).parameters.filter((p) => p.service !== '(shared)').map((p) => [p.name, p.value]);
const skips = (folder: string) => planFor(folder).skipped.filter((s) => s.service !== '(shared)').map((s) => [s.name, s.line, s.severity, s.reason]);

describe('negative fixtures', () => {
  it('covers every folder', () => {
    expect(NEGATIVE_FOLDERS.map((f) => service(f, NEGATIVE_REPO).folder)).toEqual(NEGATIVE_FOLDERS);
  });

  it('no service key: the service fails and its variables are not written', () => {
    expect(written('no-service')).toEqual([]);
    expect(skips('no-service')).toEqual([[undefined, undefined, 'error', 'could not determine the service name (no top-level `service:` key)']]);
  });

  it('unterminated section: the dedent to iam: ends it, so role and managedPolicies are not captured', () => {
    expect(written('unterminated')).toEqual([
      ['/amplify/qa/amplify-d1-unterminated/JOBS_TABLE', 'amplify-d1-unterminated-qa-jobs'],
      ['/amplify/qa/amplify-d1-unterminated/RESULTS_BUCKET', 'amplify-d1-unterminated-qa-results'],
    ]);
    expect(skips('unterminated')).toEqual([]);
  });

  it('tab-indented variable: the lenient path names the service and the variable is still read', () => {
    const plan = planFor('tab-indented');
    expect(plan.services[0].nameSource).toBe('lenient');
    expect(written('tab-indented')).toEqual([
      ['/amplify/qa/amplify-d1-tabbed/TABBED_TABLE', 'amplify-d1-tabbed-qa-tabbed'],
      ['/amplify/qa/amplify-d1-tabbed/SPACED_TABLE', 'amplify-d1-tabbed-qa-spaced'],
    ]);
  });

  it('quoted and unusual values: quotes removed, YAML comments only, empty and lists skipped', () => {
    expect(written('quoted-values')).toEqual([
      ['/amplify/qa/amplify-d1-quoted/DOUBLE_QUOTED', 'amplify-d1-quoted-qa-double'],
      ['/amplify/qa/amplify-d1-quoted/SINGLE_QUOTED', 'qa-single # not a comment inside quotes'],
      ['/amplify/qa/amplify-d1-quoted/HASH_IN_VALUE', 'value#kept'],
      ['/amplify/qa/amplify-d1-quoted/COLONS', 'a:b:c'],
      ['/amplify/qa/amplify-d1-quoted/UPPER_BOOL', 'true'],
      ['/amplify/qa/amplify-d1-quoted/OCTAL_LOOKING', '0755'],
      ['/amplify/qa/amplify-d1-quoted/NUMBER', '16'],
      ['/amplify/qa/amplify-d1-quoted/FOLDED', 'amplify-d1-quoted-qa-folded'],
    ]);
    const empty = 'empty value: SSM rejects empty parameters, so it is not written';
    expect(skips('quoted-values')).toEqual([
      ['/amplify/qa/amplify-d1-quoted/EMPTY', 13, 'warning', empty],
      ['/amplify/qa/amplify-d1-quoted/EMPTY_QUOTED', 14, 'warning', empty],
      ['/amplify/qa/amplify-d1-quoted/LIST_VALUE', 15, 'warning', 'not a single value (a list or mapping)'],
    ]);
  });

  it('duplicate key: the later value wins and the earlier one is reported', () => {
    expect(written('duplicate-key')).toEqual([
      ['/amplify/qa/amplify-d1-duplicate/FIRST_TABLE', 'amplify-d1-duplicate-qa-first'],
      ['/amplify/qa/amplify-d1-duplicate/REPEATED_TABLE', 'amplify-d1-duplicate-qa-new'],
    ]);
    expect(skips('duplicate-key')).toEqual([
      ['/amplify/qa/amplify-d1-duplicate/REPEATED_TABLE', 7, 'warning', 'duplicate: redefined on line 14, the later value wins'],
    ]);
  });

  it('unresolvable references and CloudFormation tags are reported, not stored verbatim', () => {
    expect(written('unresolvable')).toEqual([['/amplify/qa/amplify-d1-unresolvable/PLAIN_TABLE', 'amplify-d1-unresolvable-qa-plain']]);
    expect(skips('unresolvable')).toEqual([
      ['/amplify/qa/amplify-d1-unresolvable/FROM_SSM', 7, 'warning', 'unresolvable reference ${ssm:/amplify/qa/SOMETHING}'],
      ['/amplify/qa/amplify-d1-unresolvable/FROM_CF', 8, 'warning', 'unresolvable reference ${cf:amplify-d1-agent-qa.ContainerUrl}'],
      ['/amplify/qa/amplify-d1-unresolvable/FROM_OPT', 9, 'warning', 'unresolvable reference ${opt:region}'],
      ['/amplify/qa/amplify-d1-unresolvable/TOPIC_ARN', 10, 'warning', 'CloudFormation tag "!Ref NotificationsTopic" can only be resolved by CloudFormation'],
    ]);
  });

  it('missing var file: only DEP_NAME is shared', () => {
    const plan = buildParameterPlan({ stage: 'qa', depName: 'd1', services: NEGATIVE_FOLDERS.map((f) => service(f, NEGATIVE_REPO)) });
    expect(plan.parameters.filter((p) => p.service === '(shared)').map((p) => p.name)).toEqual(['/amplify/qa/DEP_NAME']);
  });
});
