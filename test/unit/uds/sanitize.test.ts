import {
  FAMILIES,
  receivedShareSortKey,
  sanitizeAppId,
  sanitizeUserId,
  sharedArtifactSortKey,
  udsHashKey,
  udsKey,
  udsPartitionKey,
} from '../../../src/uds/sanitize';
import { deterministicUuid } from '../../../src/uds/item';

describe('USER_DATA_STORAGE key sanitisation', () => {
  it('keeps the characters the service keeps and replaces every other one with -', () => {
    expect(sanitizeUserId('Alice.B_c-d@x.edu')).toBe('Alice.B_c-d@x.edu');
    expect(sanitizeUserId('a+b@x.com')).toBe('a-b@x.com');
    expect(sanitizeUserId('a b/c#d:e')).toBe('a-b-c-d-e');
    // One dash per character, astral characters included (Python iterates code points).
    expect(sanitizeUserId('zoë😀@x.com')).toBe('zo--@x.com');
    expect(sanitizeUserId('3f2a9c1e-1111-4222-8333-944455556666')).toBe('3f2a9c1e-1111-4222-8333-944455556666');
  });

  it('sanitises the app part more strictly', () => {
    expect(sanitizeAppId('amplify-workflows')).toBe('amplify-workflows');
    expect(sanitizeAppId('allen.karns@vanderbilt.edu-amplify-workflows')).toBe('allen-karns-vanderbilt-edu-amplify-workflows');
    expect(sanitizeAppId('my_app')).toBe('my-app');
  });

  it('builds appId, PK and SK exactly as §6.1 says', () => {
    expect(udsHashKey('a+b@x.com', 'amplify-artifacts')).toBe('a-b@x.com#amplify-artifacts');
    expect(udsPartitionKey('a+b@x.com', 'amplify-artifacts', 'artifact-content')).toBe('a-b@x.com#amplify-artifacts#artifact-content');
    expect(udsKey('bob@x.edu', FAMILIES.receivedShares, 'alice@x.edu#2025-03-05#u1')).toEqual({
      PK: 'bob@x.edu#amplify-shares#received',
      SK: 'alice@x.edu#2025-03-05#u1',
    });
    expect(udsKey('bob@x.edu', FAMILIES.userSettings, 'user-settings').PK).toBe('bob@x.edu#amplify-user-settings#user-settings');
    expect(udsKey('bob@x.edu', FAMILIES.scheduledTaskLogs, 't1').PK).toBe('bob@x.edu#amplify-agent-logs#scheduled-task-logs');
    expect(udsKey('bob@x.edu', FAMILIES.workflowTemplates, 't1').PK).toBe('bob@x.edu#amplify-workflows#workflow-templates');
    expect(sharedArtifactSortKey('b+c@x.com', '20250305/Game:v3')).toBe('shared-with-b+c@x.com#20250305/Game:v3');
    expect(receivedShareSortKey('alice@x.edu', '2025-03-05', 'u1')).toBe('alice@x.edu#2025-03-05#u1');
  });

  it('mints RFC 4122 version-5 UUIDs (cross-checked with Python uuid.uuid5)', () => {
    expect(deterministicUuid('alice@x.edu#amplify-artifacts#artifact-content\n20250305/Game:v3')).toBe('72aa2b37-0826-5169-99e4-de38ecf7a72b');
    expect(deterministicUuid('share\nbob@x.edu/alice@x.edu/2025-03-05/0b9c.json')).toBe('fb0665db-11ff-595b-adf3-3ee73652bbcf');
  });
});
