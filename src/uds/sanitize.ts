/**
 * USER_DATA_STORAGE keys, built the way the service builds them
 * (`amplify-lambda/state/user_data.py::_create_hash_key`):
 *
 *   appId = "{sanUser}#{sanApp}"          PK = "{appId}#{entityType}"          SK = itemId
 *
 * Every reader, existence check and writer in this tool builds keys through here, so they
 * always agree (the legacy mixed raw and sanitised ids, §12.6).
 */

/** The service's user sanitiser: every character outside `[A-Za-z0-9@._-]` becomes `-`. */
export function sanitizeUserId(userId: string): string {
  // Per code point, like Python's re.sub over str: one `-` per non-ASCII character.
  return userId.replace(/[^A-Za-z0-9@._-]/gu, '-');
}

/** The service's app sanitiser: every character outside `[A-Za-z0-9-]` becomes `-`. */
export function sanitizeAppId(appId: string): string {
  return appId.replace(/[^A-Za-z0-9-]/gu, '-');
}

/** The `appId` attribute: the hash key `{sanUser}#{sanApp}` (not the bare app name). */
export function udsHashKey(userId: string, app: string): string {
  return `${sanitizeUserId(userId)}#${sanitizeAppId(app)}`;
}

export function udsPartitionKey(userId: string, app: string, entityType: string): string {
  return `${udsHashKey(userId, app)}#${entityType}`;
}

/** The USER_DATA_STORAGE families this tool writes (app + entity type). */
export interface UdsFamily {
  app: string;
  entityType: string;
}

export const FAMILIES = {
  artifacts: { app: 'amplify-artifacts', entityType: 'artifact-content' },
  workflowTemplates: { app: 'amplify-workflows', entityType: 'workflow-templates' },
  scheduledTaskLogs: { app: 'amplify-agent-logs', entityType: 'scheduled-task-logs' },
  userSettings: { app: 'amplify-user-settings', entityType: 'user-settings' },
  receivedShares: { app: 'amplify-shares', entityType: 'received' },
} as const satisfies Record<string, UdsFamily>;

export interface UdsKey {
  PK: string;
  SK: string;
}

export function udsKey(userId: string, family: UdsFamily, sortKey: string): UdsKey {
  return { PK: udsPartitionKey(userId, family.app, family.entityType), SK: sortKey };
}

export const USER_SETTINGS_SORT_KEY = 'user-settings';

/**
 * SK of a shared artifact's content, stored under the *sharer's* partition. The recipient
 * is the raw user id: the artifacts service builds it from `current_user` unsanitised
 * (`amplify-lambda-artifacts/service/core.py`).
 */
export function sharedArtifactSortKey(recipientUserId: string, artifactKey: string): string {
  return `shared-with-${recipientUserId}#${artifactKey}`;
}

/** SK of a received share: `{sharer}#{YYYY-MM-DD}#{uuid}` (sharer raw, as in `data.sharedBy`). */
export function receivedShareSortKey(sharerUserId: string, date: string, uuid: string): string {
  return `${sharerUserId}#${date}#${uuid}`;
}
