import { createIdMap } from '../../../src/idmap/types';
import {
  apiDocumentationKey,
  conversionTemplateKey,
  dataDisclosureKey,
  groupConversationKey,
  mapSharePath,
  shareKeyToConsolidation,
  shareSplitStateKey,
  splitStateKey,
  userKeyToConsolidation,
} from '../../../src/s3layout/keys';
import { mapIdSegments, splitLeadingId } from '../../../src/s3layout/idSegments';

const SUB_BOB = '4f1c2b7e-0a9d-4c11-9a3e-2d5f8b6c7e01';
const SUB_BOBBY = '9b2e7d10-3c4f-4a8b-b1d2-6e7f8a9b0c12';
const ids = createIdMap([
  { oldId: 'bob@x.com', newId: SUB_BOB },
  { oldId: 'bobby@x.com', newId: SUB_BOBBY },
  { oldId: 'ann+test@x.com', newId: 'ann-sub' },
  { oldId: 'dept/alice', newId: 'alice-sub' },
  { oldId: 'zoë@x.com', newId: 'zoe-sub' },
  { oldId: 'same@x.com', newId: 'same@x.com' },
]);

describe('splitLeadingId', () => {
  it('finds the old id that forms the leading segments, exactly', () => {
    expect(splitLeadingId('bob@x.com/conv-1', ids)).toEqual({ oldId: 'bob@x.com', newId: SUB_BOB, rest: 'conv-1' });
    expect(splitLeadingId('bobby@x.com/conv-1', ids)).toEqual({ oldId: 'bobby@x.com', newId: SUB_BOBBY, rest: 'conv-1' });
    expect(splitLeadingId('bob@x.comm/conv-1', ids)).toBeUndefined();
    expect(splitLeadingId('bob@x.com', ids)).toBeUndefined();
    expect(splitLeadingId('dept/alice/a/b', ids)).toEqual({ oldId: 'dept/alice', newId: 'alice-sub', rest: 'a/b' });
  });
});

describe('mapIdSegments', () => {
  it('reports a match even when the id maps to itself', () => {
    expect(mapIdSegments(['same@x.com', 'nobody'], ids)).toEqual({ parts: ['same@x.com', 'nobody'], matched: true });
    expect(mapIdSegments(['nobody', 'else'], ids)).toEqual({ parts: ['nobody', 'else'], matched: false });
  });
});

describe('per-user layouts', () => {
  it('maps conversations, code interpreter files and agent state under the new id', () => {
    expect(userKeyToConsolidation('bob@x.com/8c1f0e52-conv', 'conversations', ids)).toBe(`conversations/${SUB_BOB}/8c1f0e52-conv`);
    expect(userKeyToConsolidation('bob@x.com/folder/nested/conv.json', 'conversations', ids)).toBe(
      `conversations/${SUB_BOB}/folder/nested/conv.json`,
    );
    expect(userKeyToConsolidation('bob@x.com/msg_12-file_34-FN-report 2024.csv', 'codeInterpreter', ids)).toBe(
      `codeInterpreter/${SUB_BOB}/msg_12-file_34-FN-report 2024.csv`,
    );
    expect(userKeyToConsolidation('bob@x.com/sess-1/agent_state.json', 'agentState', ids)).toBe(
      `agentState/${SUB_BOB}/sess-1/agent_state.json`,
    );
    expect(userKeyToConsolidation('bob@x.com/sess-1/index.json', 'agentState', ids)).toBe(`agentState/${SUB_BOB}/sess-1/index.json`);
  });

  it('never lets bob touch bobby', () => {
    expect(userKeyToConsolidation('bobby@x.com/conv-9', 'conversations', ids)).toBe(`conversations/${SUB_BOBBY}/conv-9`);
    const onlyBob = createIdMap([{ oldId: 'bob@x.com', newId: SUB_BOB }]);
    expect(userKeyToConsolidation('bobby@x.com/conv-9', 'conversations', onlyBob)).toBeUndefined();
    expect(userKeyToConsolidation('bob@x.company/conv-9', 'conversations', onlyBob)).toBeUndefined();
  });

  it('handles +, spaces, non-ASCII and ids containing /', () => {
    expect(userKeyToConsolidation('ann+test@x.com/my conv + notes.json', 'conversations', ids)).toBe(
      'conversations/ann-sub/my conv + notes.json',
    );
    expect(userKeyToConsolidation('zoë@x.com/résumé 📄.txt', 'codeInterpreter', ids)).toBe('codeInterpreter/zoe-sub/résumé 📄.txt');
    expect(userKeyToConsolidation('dept/alice/sess/agent_state.json', 'agentState', ids)).toBe(
      'agentState/alice-sub/sess/agent_state.json',
    );
  });

  it('still moves the object when the id does not change (scenario B)', () => {
    expect(userKeyToConsolidation('same@x.com/conv-1', 'conversations', ids)).toBe('conversations/same@x.com/conv-1');
  });

  it('returns undefined for keys of no user in the map', () => {
    expect(userKeyToConsolidation('stranger@x.com/conv-1', 'conversations', ids)).toBeUndefined();
    expect(userKeyToConsolidation('no-slash-at-all', 'conversations', ids)).toBeUndefined();
  });

  it('swapped ids do not cascade', () => {
    const swap = createIdMap([
      { oldId: 'a@x.com', newId: 'b@x.com' },
      { oldId: 'b@x.com', newId: 'a@x.com' },
    ]);
    expect(userKeyToConsolidation('a@x.com/c1', 'conversations', swap)).toBe('conversations/b@x.com/c1');
    expect(userKeyToConsolidation('b@x.com/c1', 'conversations', swap)).toBe('conversations/a@x.com/c1');
  });
});

describe('split state inside the consolidation bucket', () => {
  it('renames objects still under the old id', () => {
    expect(splitStateKey('conversations/bob@x.com/conv-1', 'conversations', ids)).toBe(`conversations/${SUB_BOB}/conv-1`);
    expect(splitStateKey('codeInterpreter/bob@x.com/f', 'codeInterpreter', ids)).toBe(`codeInterpreter/${SUB_BOB}/f`);
    expect(splitStateKey('agentState/dept/alice/s/index.json', 'agentState', ids)).toBe('agentState/alice-sub/s/index.json');
    expect(splitStateKey('scheduledTaskLogs/bob@x.com/task-1/exec-1.json', 'scheduledTaskLogs', ids)).toBe(
      `scheduledTaskLogs/${SUB_BOB}/task-1/exec-1.json`,
    );
  });

  it('skips objects already in place, of other users, or outside the prefix', () => {
    expect(splitStateKey('conversations/same@x.com/conv-1', 'conversations', ids)).toBeUndefined();
    expect(splitStateKey(`conversations/${SUB_BOB}/conv-1`, 'conversations', ids)).toBeUndefined();
    expect(splitStateKey('conversations/bobby@x.comm/conv-1', 'conversations', ids)).toBeUndefined();
    expect(splitStateKey('agentState/bob@x.com/s/index.json', 'conversations', ids)).toBeUndefined();
  });
});

describe('shares', () => {
  it('maps recipient and sharer through the whole map', () => {
    expect(shareKeyToConsolidation('bob@x.com/bobby@x.com/2025-03-05/0b9d6f2e.json', ids)).toBe(
      `shares/${SUB_BOB}/${SUB_BOBBY}/2025-03-05/0b9d6f2e.json`,
    );
    expect(shareKeyToConsolidation('stranger@x.com/zoë@x.com/2025-03-05/u.json', ids)).toBe(
      'shares/stranger@x.com/zoe-sub/2025-03-05/u.json',
    );
    expect(shareKeyToConsolidation('dept/alice/ann+test@x.com/2025-03-05/u.json', ids)).toBe('shares/alice-sub/ann-sub/2025-03-05/u.json');
  });

  it('never maps the date or file name, and skips keys naming no user of the map', () => {
    const weird = createIdMap([{ oldId: '2025-03-05', newId: 'x' }]);
    expect(mapSharePath('a/b/2025-03-05/u.json', weird)).toBeUndefined();
    expect(shareKeyToConsolidation('stranger@x.com/other@x.com/2025-03-05/u.json', ids)).toBeUndefined();
    expect(shareKeyToConsolidation('bob@x.com/u.json', ids)).toBeUndefined();
  });

  it('moves shares of users whose id does not change (scenario B)', () => {
    expect(shareKeyToConsolidation('same@x.com/stranger@x.com/2025-01-02/u.json', ids)).toBe(
      'shares/same@x.com/stranger@x.com/2025-01-02/u.json',
    );
  });

  it('swapped parties do not cascade', () => {
    const swap = createIdMap([
      { oldId: 'a@x.com', newId: 'b@x.com' },
      { oldId: 'b@x.com', newId: 'a@x.com' },
    ]);
    expect(shareKeyToConsolidation('a@x.com/b@x.com/2025-01-02/u.json', swap)).toBe('shares/b@x.com/a@x.com/2025-01-02/u.json');
  });

  it('renames split-state shares only when an id changes', () => {
    expect(shareSplitStateKey('shares/bob@x.com/stranger@x.com/2025-01-02/u.json', ids)).toBe(
      `shares/${SUB_BOB}/stranger@x.com/2025-01-02/u.json`,
    );
    expect(shareSplitStateKey('shares/same@x.com/stranger@x.com/2025-01-02/u.json', ids)).toBeUndefined();
    expect(shareSplitStateKey(`shares/${SUB_BOB}/${SUB_BOBBY}/2025-01-02/u.json`, ids)).toBeUndefined();
    expect(shareSplitStateKey('bob@x.com/stranger@x.com/2025-01-02/u.json', ids)).toBeUndefined();
  });
});

describe('group conversations and run-wide layouts', () => {
  it('maps group-assistant conversations under agentConversations/', () => {
    expect(groupConversationKey('astgp/7a8b-9c0d/conv 1.txt')).toBe('agentConversations/astgp/7a8b-9c0d/conv 1.txt');
    expect(groupConversationKey('other/7a8b/conv.txt')).toBeUndefined();
  });

  it('maps data disclosure, API docs and conversion templates', () => {
    expect(dataDisclosureKey('data_disclosure_v3.pdf')).toBe('dataDisclosure/data_disclosure_v3.pdf');
    expect(apiDocumentationKey('Amplify_API_Templates.zip')).toBe('apiDocumentation/Amplify_API_Templates.zip');
    expect(conversionTemplateKey('templates/Corporate Blue+.pptx')).toBe('powerPointTemplates/Corporate Blue+.pptx');
    expect(conversionTemplateKey('templates/')).toBeUndefined();
    expect(conversionTemplateKey('templates/sub/')).toBeUndefined();
    expect(conversionTemplateKey('converted/report.pdf')).toBeUndefined();
  });
});
