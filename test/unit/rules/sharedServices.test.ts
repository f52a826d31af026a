import { COMMON_DATA_RULE, DYNAMIC_CODE_RULE, MEMORY_RULE } from '../../../src/rules/sharedServices';
import { SAME_CTX, expectUnchanged, rewrite } from './support';

describe('memory (§8.27)', () => {
  it('maps user and a user-scoped memory_type_id', () => {
    const item = { id: { S: 'm-1' }, user: { S: 'bob@x.com' }, memory_type: { S: 'user' }, memory_type_id: { S: 'bob@x.com' }, content: { S: 'likes tea' } };
    expect(rewrite(MEMORY_RULE, item)).toEqual({ ...item, user: { S: 'sub-bob' }, memory_type_id: { S: 'sub-bob' } });
    expectUnchanged(MEMORY_RULE, item, SAME_CTX);
  });

  it('keeps a project- or assistant-scoped memory_type_id (the legacy overwrote it)', () => {
    const item = { id: { S: 'm-2' }, user: { S: 'bob@x.com' }, memory_type: { S: 'project' }, memory_type_id: { S: 'proj-9' } };
    expect(rewrite(MEMORY_RULE, item)).toEqual({ ...item, user: { S: 'sub-bob' } });
  });
});

describe('common data (§8.28)', () => {
  it('maps the user segment of PK and an exact app_id, SK kept', () => {
    const item = { PK: { S: 'bob@x.com#settings' }, SK: { S: 'bob@x.com#1' }, app_id: { S: 'bob@x.com' }, data: { M: { v: { N: '1' } } } };
    expect(rewrite(COMMON_DATA_RULE, item)).toEqual({ ...item, PK: { S: 'sub-bob#settings' }, app_id: { S: 'sub-bob' } });
  });

  it('leaves users whose id begins with an old id alone (the legacy deleted their rows)', () => {
    expectUnchanged(COMMON_DATA_RULE, { PK: { S: 'bob@x.comx#settings' }, SK: { S: '1' }, app_id: { S: 'shared-app' } });
  });
});

describe('dynamic code (§8.29)', () => {
  it('maps creator and mapped_by', () => {
    const item = { uuid: { S: 'c-1' }, creator: { S: 'dept/alice' }, mapped_by: { S: 'a+b@x.com' }, code: { S: 'print(1)' } };
    expect(rewrite(DYNAMIC_CODE_RULE, item)).toEqual({ ...item, creator: { S: 'sub-alice' }, mapped_by: { S: 'sub-ab' } });
    expectUnchanged(DYNAMIC_CODE_RULE, { ...item, creator: { S: 'x' }, mapped_by: { S: 'y' } });
  });
});
