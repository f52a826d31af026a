import { commonPrefix } from '../../../activities/s3/destinationListing';

describe('commonPrefix', () => {
  it('is the longest prefix every key shares', () => {
    expect(commonPrefix(['agentState/alice/a.json', 'agentState/alice/b.json'])).toBe('agentState/alice/');
    expect(commonPrefix(['agentState/alice/a', 'agentState/alice2/a'])).toBe('agentState/alice');
    expect(commonPrefix(['same', 'same'])).toBe('same');
    expect(commonPrefix(['a', 'b'])).toBe('');
    expect(commonPrefix([])).toBe('');
  });

  it('cuts on whole code points, never inside a surrogate pair', () => {
    // U+1F600 and U+1F601 share their high surrogate: a cut by UTF-16 units would keep half a character.
    expect(commonPrefix(['u/\u{1F600}x', 'u/\u{1F601}x'])).toBe('u/');
    expect(commonPrefix(['u/日本語/a', 'u/日本人/b'])).toBe('u/日本');
  });
});
