import { EMBEDDING_PROGRESS_RULE, FILES_RULE, HASH_FILES_RULE } from '../../../src/rules/files';
import { SAME_CTX, expectUnchanged, rewrite } from './support';

describe('user files (§8.20)', () => {
  const item = {
    id: { S: 'bob@x.com/2024-05-01/5c1d.json' },
    createdBy: { S: 'bob@x.com' },
    updatedBy: { S: 'zoë@x.com' },
    name: { S: 'report.pdf' },
    tags: { SS: ['q2'] },
    totalTokens: { N: '4096' },
  };

  it('maps createdBy and updatedBy and keeps the id (also the RAG key and object_id)', () => {
    expect(rewrite(FILES_RULE, item)).toEqual({ ...item, createdBy: { S: 'sub-bob' }, updatedBy: { S: 'sub-zoë' } });
    expectUnchanged(FILES_RULE, item, SAME_CTX);
  });

  it('keeps an updatedBy of a user outside the map', () => {
    expect(rewrite(FILES_RULE, { ...item, updatedBy: { S: 'dave@x.com' } })).toEqual({ ...item, createdBy: { S: 'sub-bob' }, updatedBy: { S: 'dave@x.com' } });
  });
});

describe.each([
  ['hash files (§8.21)', HASH_FILES_RULE, { id: { S: 'global/abc.json' }, textLocationKey: { S: 'bob@x.com/2024/t.json' } }],
  ['embedding progress (§8.22)', EMBEDDING_PROGRESS_RULE, { object_id: { S: 'bob@x.com/2024-05-01/5c1d.json' }, parentChunkStatus: { S: 'completed' }, terminated: { BOOL: false } }],
])('%s', (_name, rule, rest) => {
  it('maps originalCreator only', () => {
    expect(rewrite(rule, { ...rest, originalCreator: { S: 'bob@x.com' } })).toEqual({ ...rest, originalCreator: { S: 'sub-bob' } });
    expectUnchanged(rule, { ...rest, originalCreator: { S: 'bob@x.com ' } });
    expectUnchanged(rule, rest);
  });
});
