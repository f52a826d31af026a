import { OAUTH_STATE_RULE, OAUTH_USER_RULE } from '../../../src/rules/oauth';
import { SAME_CTX, expectUnchanged, rewrite } from './support';

describe('oauth state (§8.4)', () => {
  it('maps user and keeps state and ttl', () => {
    const item = { state: { S: 'st-123' }, user: { S: 'a+b@x.com' }, ttl: { N: '1767225600' }, provider: { S: 'google' } };
    expect(rewrite(OAUTH_STATE_RULE, item)).toEqual({ ...item, user: { S: 'sub-ab' } });
    expectUnchanged(OAUTH_STATE_RULE, { ...item, user: { S: 'ab@x.com' } });
  });
});

describe('oauth user integrations (§8.25)', () => {
  const integrations = { M: { google: { M: { token: { S: 'enc' }, expires: { N: '99' } } } } };

  it('maps the user segment of {user}/{provider} and keeps the token map', () => {
    const item = { user_integration: { S: 'bob@x.com/google' }, integrations };
    expect(rewrite(OAUTH_USER_RULE, item)).toEqual({ user_integration: { S: 'sub-bob/google' }, integrations });
    expectUnchanged(OAUTH_USER_RULE, item, SAME_CTX);
  });

  it('leaves a user whose id begins with an old id alone (the legacy deleted it)', () => {
    expectUnchanged(OAUTH_USER_RULE, { user_integration: { S: 'bob@x.comm/google' }, integrations });
    expectUnchanged(OAUTH_USER_RULE, { user_integration: { S: 'bob@x.com' } });
  });

  it('maps an id with "/"', () => {
    expect(rewrite(OAUTH_USER_RULE, { user_integration: { S: 'dept/alice/microsoft' } })).toEqual({ user_integration: { S: 'sub-alice/microsoft' } });
  });
});
