import { createIdMap } from '../../../src/idmap/types';
import {
  agentStateMemory,
  artifactKey,
  conversationS3Key,
  dataDisclosurePointers,
  groupConversationLocation,
  scheduledTaskDetailsKey,
  shareDataKey,
  workflowTemplateS3Key,
} from '../../../src/s3layout/pointers';
import { s3Source } from '../../../src/s3layout/sources';

const ids = createIdMap([
  { oldId: 'bob@x.com', newId: 'sub-bob' },
  { oldId: 'bobby@x.com', newId: 'sub-bobby' },
  { oldId: 'ann+test@x.com', newId: 'sub-ann' },
  { oldId: 'same@x.com', newId: 'same@x.com' },
]);

describe('conversation s3_key', () => {
  it('maps the legacy and the split-state form to conversations/{new}/…', () => {
    expect(conversationS3Key('bob@x.com/0f3e9c1a-conv', ids)).toBe('conversations/sub-bob/0f3e9c1a-conv');
    expect(conversationS3Key('conversations/bob@x.com/0f3e9c1a-conv', ids)).toBe('conversations/sub-bob/0f3e9c1a-conv');
    expect(conversationS3Key('same@x.com/c 1', ids)).toBe('conversations/same@x.com/c 1');
  });

  it('leaves migrated pointers and other users alone', () => {
    expect(conversationS3Key('conversations/sub-bob/c', ids)).toBe('conversations/sub-bob/c');
    expect(conversationS3Key('conversations/same@x.com/c', ids)).toBe('conversations/same@x.com/c');
    expect(conversationS3Key('bob@x.comm/c', ids)).toBe('bob@x.comm/c');
  });

  it('agrees with the object key the S3 source produces', () => {
    const key = 'ann+test@x.com/c 1';
    expect(conversationS3Key(key, ids)).toBe(s3Source('conversations').destinationKey(key, ids));
  });
});

describe('agent state memory', () => {
  it('maps the key and drops the bucket', () => {
    expect(agentStateMemory({ bucket: 'amplify-v6-agent-loop-dev-agent-state', key: 'bob@x.com/s-1/agent_state.json' }, ids)).toEqual({
      key: 'agentState/sub-bob/s-1/agent_state.json',
    });
    expect(agentStateMemory({ key: 'agentState/bob@x.com/s-1/agent_state.json' }, ids)).toEqual({
      key: 'agentState/sub-bob/s-1/agent_state.json',
    });
    expect(agentStateMemory({ bucket: 'legacy', key: 'same@x.com/s/agent_state.json' }, ids)).toEqual({
      key: 'agentState/same@x.com/s/agent_state.json',
    });
  });

  it('leaves keys of no mapped user, with their bucket, unchanged', () => {
    const memory = { bucket: 'somewhere', key: 'bobby@x.comm/s/agent_state.json' };
    expect(agentStateMemory(memory, ids)).toBe(memory);
    const migrated = { key: 'agentState/sub-bob/s/agent_state.json' };
    expect(agentStateMemory(migrated, ids)).toBe(migrated);
  });
});

describe('pointers whose content moves into USER_DATA_STORAGE', () => {
  it('drops a workflow template s3Key of a mapped user', () => {
    expect(workflowTemplateS3Key('bob@x.com/tmpl-7.json', ids)).toBeUndefined();
    expect(workflowTemplateS3Key('same@x.com/tmpl-7.json', ids)).toBeUndefined();
    expect(workflowTemplateS3Key('stranger@x.com/tmpl-7.json', ids)).toBe('stranger@x.com/tmpl-7.json');
  });

  it('drops a scheduled task detailsKey of a mapped user', () => {
    expect(scheduledTaskDetailsKey('bob@x.com/task-1/logs/exec-1.json', ids)).toBeUndefined();
    expect(scheduledTaskDetailsKey('bobby@x.comm/task-1/logs/exec-1.json', ids)).toBe('bobby@x.comm/task-1/logs/exec-1.json');
  });

  it('strips the row owner from an artifact key, under its old or new id', () => {
    expect(artifactKey('bob@x.com/20250305/Game:v3', 'bob@x.com', ids)).toBe('20250305/Game:v3');
    expect(artifactKey('bob@x.com/20250305/Game:v3', 'sub-bob', ids)).toBe('20250305/Game:v3');
    expect(artifactKey('20250305/Game:v3', 'bob@x.com', ids)).toBe('20250305/Game:v3');
    expect(artifactKey('bobby@x.com/20250305/Game:v3', 'bob@x.com', ids)).toBe('bobby@x.com/20250305/Game:v3');
    expect(artifactKey('same@x.com/20250101/Note with spaces:v1', 'same@x.com', ids)).toBe('20250101/Note with spaces:v1');
  });
});

describe('share data.key', () => {
  it('maps both parties and prefixes shares/, like the object key', () => {
    const key = 'bob@x.com/ann+test@x.com/2025-03-05/6a1d.json';
    expect(shareDataKey(key, ids)).toBe('shares/sub-bob/sub-ann/2025-03-05/6a1d.json');
    expect(shareDataKey(key, ids)).toBe(s3Source('shares').destinationKey(key, ids));
  });

  it('is idempotent and leaves keys of no mapped user unchanged', () => {
    expect(shareDataKey('shares/sub-bob/sub-ann/2025-03-05/6a1d.json', ids)).toBe('shares/sub-bob/sub-ann/2025-03-05/6a1d.json');
    expect(shareDataKey('shares/bob@x.com/x/2025-03-05/6a1d.json', ids)).toBe('shares/sub-bob/x/2025-03-05/6a1d.json');
    expect(shareDataKey('a@y.com/b@y.com/2025-03-05/6a1d.json', ids)).toBe('a@y.com/b@y.com/2025-03-05/6a1d.json');
  });
});

describe('group conversation s3Location', () => {
  it('turns an s3:// URL of an astgp/ key into the bare consolidation key', () => {
    expect(groupConversationLocation('s3://amplify-v6-assistants-dev-group-conversations-content/astgp/a-1/c 1.txt')).toBe(
      'agentConversations/astgp/a-1/c 1.txt',
    );
    expect(groupConversationLocation('agentConversations/astgp/a-1/c.txt')).toBe('agentConversations/astgp/a-1/c.txt');
    expect(groupConversationLocation('s3://bucket/other/c.txt')).toBe('s3://bucket/other/c.txt');
  });
});

describe('data disclosure pointers', () => {
  const consolidation = 'amplify-v6-lambda-dev-consolidation';
  const storage = 'amplify-v6-data-disclosure-dev-storage';

  it('points at the copied object and prefixes pdf_id', () => {
    expect(dataDisclosurePointers({ s3Reference: `s3://${storage}/dd-2025.pdf`, pdfId: 'dd-2025.pdf' }, consolidation)).toEqual({
      s3Reference: `s3://${consolidation}/dataDisclosure/dd-2025.pdf`,
      pdfId: 'dataDisclosure/dd-2025.pdf',
    });
    expect(
      dataDisclosurePointers({ s3Reference: `s3://${storage}/dd-2025.pdf`, pdfId: 'dataDisclosure/dd-2025.pdf' }, consolidation, storage),
    ).toEqual({ s3Reference: `s3://${consolidation}/dataDisclosure/dd-2025.pdf`, pdfId: 'dataDisclosure/dd-2025.pdf' });
  });

  it('leaves migrated references and other buckets alone', () => {
    expect(dataDisclosurePointers({ s3Reference: `s3://${consolidation}/dataDisclosure/a.pdf` }, consolidation)).toBeUndefined();
    expect(dataDisclosurePointers({ s3Reference: 's3://third-party/a.pdf' }, consolidation, storage)).toBeUndefined();
    expect(dataDisclosurePointers({ s3Reference: 'a.pdf' }, consolidation)).toBeUndefined();
  });
});
