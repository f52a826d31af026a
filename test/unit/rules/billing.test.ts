import {
  ADDITIONAL_CHARGES_RULE,
  CHAT_USAGE_RULE,
  COST_CALCULATIONS_RULE,
  HISTORY_COST_CALCULATIONS_RULE,
} from '../../../src/rules/billing';
import { OPAQUE, SAME_CTX, SWAP_CTX, expectUnchanged, rewrite } from './support';

describe('chat usage (§8.15)', () => {
  it('maps user in place, numbers kept exactly', () => {
    const item = { id: { S: 'u-1' }, user: { S: 'bob@x.com' }, time: { S: '2024-05-01T10:00:00' }, inputTokens: { N: '1500' }, cost: { N: '0.000150' } };
    expect(rewrite(CHAT_USAGE_RULE, item)).toEqual({ ...item, user: { S: 'sub-bob' } });
  });
});

describe('cost calculations (§8.16)', () => {
  it('maps the hash key id (the user id), accountInfo and costs kept', () => {
    const item = { id: { S: 'hash#user' }, accountInfo: { S: 'general_account#NA' }, dailyCost: { N: '1.25' }, record_type: { S: 'user' }, hourlyCost: { L: [{ N: '0' }, { N: '0.5' }] } };
    expect(rewrite(COST_CALCULATIONS_RULE, item)).toEqual({ ...item, id: { S: 'sub-hash' } });
    expectUnchanged(COST_CALCULATIONS_RULE, item, SAME_CTX);
  });
});

describe('history cost calculations (§8.23)', () => {
  it('maps the user segment of userDate', () => {
    const item = { userDate: { S: 'bob@x.com#2024-05-01' }, accountInfo: { S: '123.456#key-1' }, dailyCost: { N: '3' } };
    expect(rewrite(HISTORY_COST_CALCULATIONS_RULE, item)).toEqual({ ...item, userDate: { S: 'sub-bob#2024-05-01' } });
  });

  it('leaves users whose id begins with an old id alone (the legacy deleted their rows)', () => {
    expectUnchanged(HISTORY_COST_CALCULATIONS_RULE, { userDate: { S: 'bob@x.com.au#2024-05-01' }, accountInfo: { S: 'a#b' } });
    expect(rewrite(HISTORY_COST_CALCULATIONS_RULE, { userDate: { S: 'bobby@x.com#2024-05-01' }, accountInfo: { S: 'a#b' } })).toEqual({
      userDate: { S: 'sub-bobby#2024-05-01' },
      accountInfo: { S: 'a#b' },
    });
  });

  it('maps an id that itself contains "#"', () => {
    expect(rewrite(HISTORY_COST_CALCULATIONS_RULE, { userDate: { S: 'hash#user#2024-05-01' } })).toEqual({ userDate: { S: 'sub-hash#2024-05-01' } });
  });
});

describe('additional charges (§8.24)', () => {
  it('maps user and the leading segment of {user}#{type}#{request}', () => {
    const item = { id: { S: 'bob@x.com#codeInterpreter#req-1' }, user: { S: 'bob@x.com' }, cost: { N: '0.03' }, ...OPAQUE };
    expect(rewrite(ADDITIONAL_CHARGES_RULE, item)).toEqual({ ...item, id: { S: 'sub-bob#codeInterpreter#req-1' }, user: { S: 'sub-bob' } });
  });

  it('maps both users of {threadKey}/{assistantKey}', () => {
    const item = { id: { S: 'bob@x.com/thr/t1/zoë@x.com/ast/a1' }, user: { S: 'bob@x.com' } };
    expect(rewrite(ADDITIONAL_CHARGES_RULE, item)).toEqual({ id: { S: 'sub-bob/thr/t1/sub-zoë/ast/a1' }, user: { S: 'sub-bob' } });
  });

  it('keeps an id that does not contain the user (in place, never deleted) and ignores substrings', () => {
    expect(rewrite(ADDITIONAL_CHARGES_RULE, { id: { S: 'charge-77' }, user: { S: 'bob@x.com' } })).toEqual({ id: { S: 'charge-77' }, user: { S: 'sub-bob' } });
    expectUnchanged(ADDITIONAL_CHARGES_RULE, { id: { S: 'xbob@x.com#t#1' }, user: { S: 'bob@x.com.au' } });
  });

  it('swaps without cascading', () => {
    expect(rewrite(ADDITIONAL_CHARGES_RULE, { id: { S: 'bob@x.com/thr/1/bobby@x.com/ast/2' } }, SWAP_CTX)).toEqual({
      id: { S: 'bobby@x.com/thr/1/bob@x.com/ast/2' },
    });
  });
});
