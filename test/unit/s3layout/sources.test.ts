import { BUCKET_KEYS } from '../../../src/deployment/catalogue';
import { createIdMap } from '../../../src/idmap/types';
import { S3_SOURCES, listingPrefix, s3Source, type S3SourceName } from '../../../src/s3layout/sources';

const ids = createIdMap([
  { oldId: 'bob@x.com', newId: 'sub-bob' },
  { oldId: 'bobby@x.com', newId: 'sub-bobby' },
  { oldId: 'same@x.com', newId: 'same@x.com' },
]);

function destination(name: S3SourceName, key: string): string | undefined {
  return s3Source(name).destinationKey(key, ids);
}

describe('S3_SOURCES', () => {
  it('describes every source once, with a real bucket config key, in the legacy order', () => {
    expect(S3_SOURCES.map((s) => [s.name, s.scope, s.bucket])).toEqual([
      ['agentState', 'perUser', 'AGENT_STATE_BUCKET'],
      ['agentStateSplitState', 'perUser', 'S3_CONSOLIDATION_BUCKET_NAME'],
      ['codeInterpreter', 'perUser', 'ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME'],
      ['codeInterpreterSplitState', 'perUser', 'S3_CONSOLIDATION_BUCKET_NAME'],
      ['conversations', 'perUser', 'S3_CONVERSATIONS_BUCKET_NAME'],
      ['conversationsSplitState', 'perUser', 'S3_CONSOLIDATION_BUCKET_NAME'],
      ['groupConversations', 'wholeBucket', 'S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME'],
      ['scheduledTaskLogsSplitState', 'perUser', 'S3_CONSOLIDATION_BUCKET_NAME'],
      ['shares', 'wholeBucket', 'S3_SHARE_BUCKET_NAME'],
      ['sharesSplitState', 'wholeBucket', 'S3_CONSOLIDATION_BUCKET_NAME'],
      ['dataDisclosure', 'runWide', 'DATA_DISCLOSURE_STORAGE_BUCKET'],
      ['apiDocumentation', 'runWide', 'S3_API_DOCUMENTATION_BUCKET'],
      ['conversionTemplates', 'runWide', 'S3_CONVERSION_OUTPUT_BUCKET_NAME'],
    ]);
    for (const source of S3_SOURCES) {
      expect(BUCKET_KEYS).toContain(source.bucket);
      expect(source.destinationBucket).toBe('S3_CONSOLIDATION_BUCKET_NAME');
    }
  });

  it('gives each source its listing prefix', () => {
    const prefixes = Object.fromEntries(S3_SOURCES.map((s) => [s.name, listingPrefix(s, 'bob@x.com')]));
    expect(prefixes).toEqual({
      agentState: 'bob@x.com/',
      agentStateSplitState: 'agentState/bob@x.com/',
      codeInterpreter: 'bob@x.com/',
      codeInterpreterSplitState: 'codeInterpreter/bob@x.com/',
      conversations: 'bob@x.com/',
      conversationsSplitState: 'conversations/bob@x.com/',
      groupConversations: 'astgp/',
      scheduledTaskLogsSplitState: 'scheduledTaskLogs/bob@x.com/',
      shares: '',
      sharesSplitState: 'shares/',
      dataDisclosure: '',
      apiDocumentation: '',
      conversionTemplates: 'templates/',
    });
  });

  it('maps a realistic key of every source', () => {
    expect(destination('agentState', 'bob@x.com/s-1/agent_state.json')).toBe('agentState/sub-bob/s-1/agent_state.json');
    expect(destination('agentStateSplitState', 'agentState/bob@x.com/s-1/index.json')).toBe('agentState/sub-bob/s-1/index.json');
    expect(destination('codeInterpreter', 'bob@x.com/m1-f2-FN-plot.png')).toBe('codeInterpreter/sub-bob/m1-f2-FN-plot.png');
    expect(destination('codeInterpreterSplitState', 'codeInterpreter/bob@x.com/m1-f2-FN-plot.png')).toBe(
      'codeInterpreter/sub-bob/m1-f2-FN-plot.png',
    );
    expect(destination('conversations', 'bob@x.com/c-1')).toBe('conversations/sub-bob/c-1');
    expect(destination('conversationsSplitState', 'conversations/bob@x.com/c-1')).toBe('conversations/sub-bob/c-1');
    expect(destination('groupConversations', 'astgp/a-1/c-1.txt')).toBe('agentConversations/astgp/a-1/c-1.txt');
    expect(destination('scheduledTaskLogsSplitState', 'scheduledTaskLogs/bob@x.com/t-1/e-1.json')).toBe(
      'scheduledTaskLogs/sub-bob/t-1/e-1.json',
    );
    expect(destination('shares', 'bobby@x.com/bob@x.com/2025-03-05/u-1.json')).toBe('shares/sub-bobby/sub-bob/2025-03-05/u-1.json');
    expect(destination('sharesSplitState', 'shares/bobby@x.com/bob@x.com/2025-03-05/u-1.json')).toBe(
      'shares/sub-bobby/sub-bob/2025-03-05/u-1.json',
    );
    expect(destination('dataDisclosure', 'dd v2.pdf')).toBe('dataDisclosure/dd v2.pdf');
    expect(destination('apiDocumentation', 'Amplify_API_Templates.zip')).toBe('apiDocumentation/Amplify_API_Templates.zip');
    expect(destination('conversionTemplates', 'templates/Blue.pptx')).toBe('powerPointTemplates/Blue.pptx');
  });

  it('scenario B: per-user sources still move, split state has nothing to do', () => {
    expect(destination('conversations', 'same@x.com/c-1')).toBe('conversations/same@x.com/c-1');
    expect(destination('conversationsSplitState', 'conversations/same@x.com/c-1')).toBeUndefined();
    expect(destination('agentStateSplitState', 'agentState/same@x.com/s/index.json')).toBeUndefined();
  });

  it('a key under a listed prefix goes to its own owner (whole map, longest id)', () => {
    const nested = createIdMap([
      { oldId: 'dept', newId: 'sub-dept' },
      { oldId: 'dept/alice', newId: 'sub-alice' },
    ]);
    const conversations = s3Source('conversations');
    expect(listingPrefix(conversations, 'dept')).toBe('dept/');
    expect(conversations.destinationKey('dept/alice/c-1', nested)).toBe('conversations/sub-alice/c-1');
    expect(conversations.destinationKey('dept/c-2', nested)).toBe('conversations/sub-dept/c-2');
  });

  it('names the tables whose pointers wait for each source', () => {
    expect(s3Source('conversations').pointerTables).toEqual(['CONVERSATION_METADATA_TABLE']);
    expect(s3Source('agentStateSplitState').pointerTables).toEqual(['AGENT_STATE_DYNAMODB_TABLE']);
    expect(s3Source('groupConversations').pointerTables).toEqual(['GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE']);
    expect(s3Source('shares').pointerTables).toEqual(['SHARES_DYNAMODB_TABLE']);
    expect(s3Source('dataDisclosure').pointerTables).toEqual(['DATA_DISCLOSURE_VERSIONS_TABLE']);
  });
});
