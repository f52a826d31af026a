import { createIdMap } from '../../src/idmap/types';
import { mapEverySegment, mapLeadingSegment, mapWhole } from '../../src/rules/tokens';

const ids = createIdMap([
  { oldId: 'bob@x.com', newId: 'bob' },
  { oldId: 'bobby@x.com', newId: 'bobby' },
  { oldId: 'a+b@x.com', newId: 'ab' },
  { oldId: 'dept/alice', newId: 'alice' },
  { oldId: 'zoë@x.com', newId: 'zoe' },
]);

describe('exact token matching', () => {
  it('maps whole values only', () => {
    expect(mapWhole('bob@x.com', ids)).toBe('bob');
    expect(mapWhole('bob@x.co', ids)).toBe('bob@x.co');
    expect(mapWhole('xbob@x.com', ids)).toBe('xbob@x.com');
    expect(mapWhole('zoë@x.com', ids)).toBe('zoe');
  });

  it('never treats a prefix as a match', () => {
    expect(mapLeadingSegment('bobby@x.com/ast/1', '/', ids)).toBe('bobby/ast/1');
    expect(mapLeadingSegment('bob@x.com/ast/1', '/', ids)).toBe('bob/ast/1');
    expect(mapLeadingSegment('bob@x.comm/ast/1', '/', ids)).toBe('bob@x.comm/ast/1');
  });

  it('matches ids that contain the separator', () => {
    expect(mapLeadingSegment('dept/alice/thr/9', '/', ids)).toBe('alice/thr/9');
    expect(mapEverySegment('x/dept/alice/y', '/', ids)).toBe('x/alice/y');
  });

  it('maps every whole segment once, with + and non-ASCII ids', () => {
    expect(mapEverySegment('a+b@x.com#zoë@x.com#bob@x.com#bobby', '#', ids)).toBe('ab#zoe#bob#bobby');
  });

  it('applies the whole map at once: a swap does not cascade', () => {
    const swap = createIdMap([
      { oldId: 'a', newId: 'b' },
      { oldId: 'b', newId: 'a' },
    ]);
    expect(mapEverySegment('a#b', '#', swap)).toBe('b#a');
  });
});
