import { EMAIL_SETTINGS_RULE } from '../../../src/rules/agentLoop';
import { SAME_CTX, expectUnchanged, rewrite } from './support';

describe('email allowed senders (§8.19)', () => {
  it('maps the owner key', () => {
    const item = { email: { S: 'bob@x.com' }, tag: { S: 'inbox' }, allowedSenders: { L: [{ S: '*@partner.com' }] } };
    expect(rewrite(EMAIL_SETTINGS_RULE, item)).toEqual({ ...item, email: { S: 'sub-bob' } });
    expectUnchanged(EMAIL_SETTINGS_RULE, item, SAME_CTX);
  });

  it('maps exact senders in other users\' rows and never substrings (bob@x.com vs bob@x.com.au, rbob@x.com)', () => {
    const item = {
      email: { S: 'dave@x.com' },
      tag: { S: 'inbox' },
      allowedSenders: { L: [{ S: 'bob@x.com' }, { S: 'bob@x.com.au' }, { S: 'rbob@x.com' }, { S: 'bobby@x.com' }] },
    };
    expect(rewrite(EMAIL_SETTINGS_RULE, item)).toEqual({
      ...item,
      allowedSenders: { L: [{ S: 'sub-bob' }, { S: 'bob@x.com.au' }, { S: 'rbob@x.com' }, { S: 'sub-bobby' }] },
    });
  });

  it('maps a string set of senders too', () => {
    const item = { email: { S: 'dave@x.com' }, tag: { S: 't' }, allowedSenders: { SS: ['zoë@x.com', 'x@y.z'] } };
    expect(rewrite(EMAIL_SETTINGS_RULE, item)).toEqual({ ...item, allowedSenders: { SS: ['sub-zoë', 'x@y.z'] } });
  });
});
