/**
 * The deployment catalogue: dep name + stage → every DynamoDB table and S3 bucket the
 * legacy scripts name (the config keys of their scripts/config.py), with each table's key
 * schema and GSIs. Pure data; the single source of physical names for the whole tool.
 */

export type KeyType = 'S' | 'N' | 'B';
export interface KeyAttribute {
  name: string;
  type: KeyType;
}
export interface IndexSchema {
  name: string;
  hash: KeyAttribute;
  range?: KeyAttribute;
}
export interface TableSchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
  indexes: readonly IndexSchema[];
  /** false where the spec records no schema and we assume one (only for tables we never migrate). */
  schemaRecorded: boolean;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const N = (name: string): KeyAttribute => ({ name, type: 'N' });
const gsi = (name: string, hash: KeyAttribute, range?: KeyAttribute): IndexSchema => ({ name, hash, range });
const schema = (hash: KeyAttribute, range?: KeyAttribute, indexes: IndexSchema[] = [], schemaRecorded = true): TableSchema => ({
  hash,
  range,
  indexes,
  schemaRecorded,
});

interface TableDefinition {
  /** `{d}` = dep name, `{s}` = stage. */
  pattern: string;
  schema: TableSchema;
}

/** The 45 table config keys of scripts/config.py, in the spec's order. */
export const TABLE_DEFINITIONS = {
  ACCOUNTS_DYNAMO_TABLE: { pattern: 'amplify-{d}-lambda-{s}-accounts', schema: schema(S('user')) },
  ADDITIONAL_CHARGES_TABLE: { pattern: 'amplify-{d}-chat-billing-{s}-additional-charges', schema: schema(S('id')) },
  AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-agent-loop-{s}-agent-event-templates',
    schema: schema(S('user'), S('tag')),
  },
  AMPLIFY_ADMIN_DYNAMODB_TABLE: { pattern: 'amplify-{d}-admin-{s}-admin-configs', schema: schema(S('config_id')) },
  API_KEYS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-object-access-{s}-api-keys',
    schema: schema(S('api_owner_id'), undefined, [gsi('ApiKeyIndex', S('apiKey'))]),
  },
  ARTIFACTS_DYNAMODB_TABLE: { pattern: 'amplify-{d}-artifacts-{s}-user-artifacts', schema: schema(S('user_id')) },
  ASSISTANTS_ALIASES_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-assistant-aliases',
    schema: schema(S('user'), S('assistantId'), [
      gsi('AssistantIdIndex', S('assistantId'), S('user')),
      gsi('UserIndex', S('user'), S('createdAt')),
    ]),
  },
  LAYERED_ASSISTANTS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-layered-assistants',
    schema: schema(S('assistantId'), undefined, [gsi('CreatedByIndex', S('createdBy'), S('updatedAt'))]),
  },
  ASSISTANTS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-assistants',
    schema: schema(S('id'), undefined, [
      gsi('UserIndex', S('user')),
      gsi('UserNameIndex', S('user'), S('name')),
      gsi('AssistantIdIndex', S('assistantId'), S('version')),
    ]),
  },
  ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-code-interpreter-assistants',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user'))]),
  },
  ASSISTANT_GROUPS_DYNAMO_TABLE: { pattern: 'amplify-{d}-object-access-{s}-amplify-groups', schema: schema(S('group_id')) },
  ASSISTANT_LOOKUP_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-assistant-lookup',
    schema: schema(S('astPath'), undefined, [gsi('AssistantIdIndex', S('assistantId'))]),
  },
  ASSISTANT_THREADS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-assistant-threads',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user')), gsi('UserNameIndex', S('user'), S('name'))]),
  },
  ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-assistant-thread-runs',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user'))]),
  },
  CHAT_USAGE_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-chat-usage',
    schema: schema(S('id'), undefined, [gsi('UserUsageTimeIndex', S('user'), S('time')), gsi('DateIndex', S('time'))]),
  },
  COGNITO_USERS_DYNAMODB_TABLE: { pattern: 'amplify-{d}-object-access-{s}-cognito-users', schema: schema(S('user_id')) },
  CONVERSATION_METADATA_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-conversation-metadata',
    schema: schema(S('user_id'), S('conversation_id'), [gsi('TimestampIndex', S('user_id'), S('last_modified'))]),
  },
  COST_CALCULATIONS_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-cost-calculations',
    schema: schema(S('id'), S('accountInfo'), [gsi('record-type-user-index', S('record_type'), S('id'))]),
  },
  DATA_DISCLOSURE_ACCEPTANCE_TABLE: { pattern: 'amplify-{d}-data-disclosure-{s}-acceptance', schema: schema(S('user')) },
  DATA_DISCLOSURE_VERSIONS_TABLE: {
    pattern: 'amplify-{d}-data-disclosure-{s}-versions',
    schema: schema(S('key'), N('version')),
  },
  DB_CONNECTIONS_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-db-connections',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user'))]),
  },
  EMAIL_SETTINGS_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-agent-loop-{s}-email-allowed-senders',
    schema: schema(S('email'), S('tag')),
  },
  FILES_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-user-files',
    schema: schema(S('id'), undefined, [
      gsi('createdBy', S('createdBy'), S('id')),
      gsi('createdByAndAt', S('createdBy'), S('createdAt')),
      gsi('createdByAndType', S('createdBy'), S('type')),
      gsi('createdByAndName', S('createdBy'), S('name')),
    ]),
  },
  GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-assistants-{s}-group-assistant-conversations',
    schema: schema(S('conversationId'), undefined, [gsi('AssistantIdIndex', S('assistantId'))]),
  },
  HASH_FILES_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-hash-files',
    schema: schema(S('id'), undefined, [gsi('TextLocationIndex', S('textLocationKey'))]),
  },
  HISTORY_COST_CALCULATIONS_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-history-cost-calculations',
    schema: schema(S('userDate'), S('accountInfo'), [gsi('record-type-user-index', S('record_type'), S('userDate'))]),
  },
  OAUTH_STATE_TABLE: { pattern: 'amplify-{d}-assistants-api-{s}-oauth-state', schema: schema(S('state')) },
  OAUTH_USER_TABLE: {
    pattern: 'amplify-{d}-assistants-api-{s}-user-oauth-integrations',
    schema: schema(S('user_integration')),
  },
  OBJECT_ACCESS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-object-access-{s}-object-access',
    schema: schema(S('object_id'), S('principal_id'), [gsi('PrincipalIdIndex', S('principal_id'))]),
  },
  OPS_DYNAMODB_TABLE: { pattern: 'amplify-{d}-lambda-ops-{s}-ops', schema: schema(S('user'), S('tag')) },
  SCHEDULED_TASKS_TABLE: {
    pattern: 'amplify-{d}-agent-loop-{s}-scheduled-tasks',
    schema: schema(S('user'), S('taskId'), [gsi('ActiveTasksIndex', S('active'), S('taskId'))]),
  },
  SHARES_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user')), gsi('UserNameIndex', S('user'), S('name'))]),
  },
  OLD_USER_STORAGE_TABLE: {
    pattern: 'amplify-{d}-lambda-basic-ops-{s}-user-storage',
    schema: schema(S('PK'), S('SK'), [gsi('UUID-index', S('UUID'))]),
  },
  USER_DATA_STORAGE_TABLE: {
    pattern: 'amplify-{d}-lambda-{s}-user-data-storage',
    schema: schema(S('PK'), S('SK'), [gsi('UUID-index', S('UUID'))]),
  },
  USER_TAGS_DYNAMO_TABLE: { pattern: 'amplify-{d}-lambda-{s}-user-tags', schema: schema(S('user')) },
  WORKFLOW_TEMPLATES_TABLE: {
    pattern: 'amplify-{d}-agent-loop-{s}-workflow-registry',
    schema: schema(S('user'), S('templateId'), [gsi('TemplateIdPublicIndex', S('templateId'), N('isPublic'))]),
  },
  AGENT_STATE_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-agent-loop-{s}-agent-state',
    schema: schema(S('user'), S('sessionId')),
  },
  // The next four are never migrated; their schemas are not recorded, so these are assumptions
  // good enough to create them in a sample deployment.
  AMPLIFY_ADMIN_LOGS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-admin-{s}-admin-logs',
    schema: schema(S('log_id'), undefined, [], false),
  },
  AMPLIFY_GROUP_LOGS_DYNAMODB_TABLE: {
    pattern: 'amplify-{d}-object-access-{s}-amplify-group-logs',
    schema: schema(S('log_id'), undefined, [], false),
  },
  OP_LOG_DYNAMO_TABLE: { pattern: 'amplify-{d}-assistants-api-{s}-op-log', schema: schema(S('user'), S('timestamp'), [], false) },
  REQUEST_STATE_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-amplify-js-{s}-request-state',
    schema: schema(S('user'), S('requestId'), [], false),
  },
  MEMORY_DYNAMO_TABLE: {
    pattern: 'amplify-{d}-memory-{s}-memory',
    schema: schema(S('id'), undefined, [gsi('UserIndex', S('user'))]),
  },
  COMMON_DATA_DYNAMO_TABLE: { pattern: 'amplify-{d}-se-{s}-ops-common-data', schema: schema(S('PK'), S('SK')) },
  DYNAMO_DYNAMIC_CODE_TABLE: { pattern: 'amplify-{d}-se-{s}-ai-code', schema: schema(S('uuid')) },
  EMBEDDING_PROGRESS_TABLE: { pattern: 'amplify-{d}-embedding-{s}-embedding-progress', schema: schema(S('object_id')) },
} as const satisfies Record<string, TableDefinition>;

export const BUCKET_PATTERNS = {
  S3_CONSOLIDATION_BUCKET_NAME: 'amplify-{d}-lambda-{s}-consolidation',
  S3_CONVERSATIONS_BUCKET_NAME: 'amplify-{d}-lambda-{s}-user-conversations',
  S3_SHARE_BUCKET_NAME: 'amplify-{d}-lambda-{s}-share',
  ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME: 'amplify-{d}-assistants-{s}-code-interpreter-files',
  AGENT_STATE_BUCKET: 'amplify-{d}-agent-loop-{s}-agent-state',
  S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME: 'amplify-{d}-assistants-{s}-group-conversations-content',
  S3_CONVERSION_INPUT_BUCKET_NAME: 'amplify-{d}-lambda-{s}-document-conversion-input',
  S3_CONVERSION_OUTPUT_BUCKET_NAME: 'amplify-{d}-lambda-{s}-document-conversion-output',
  DATA_DISCLOSURE_STORAGE_BUCKET: 'amplify-{d}-data-disclosure-{s}-storage',
  S3_API_DOCUMENTATION_BUCKET: 'amplify-{d}-api-{s}-documentation-bucket',
  SCHEDULED_TASKS_LOGS_BUCKET: 'amplify-{d}-agent-loop-{s}-scheduled-tasks-logs',
  S3_ARTIFACTS_BUCKET: 'amplify-{d}-artifacts-{s}-bucket',
  WORKFLOW_TEMPLATES_BUCKET: 'amplify-{d}-agent-loop-{s}-workflow-templates',
} as const;

export const BASIC_OPS_STACK_PATTERN = 'amplify-{d}-lambda-basic-ops-{s}';

export type TableKey = keyof typeof TABLE_DEFINITIONS;
export type BucketKey = keyof typeof BUCKET_PATTERNS;
export const TABLE_KEYS = Object.keys(TABLE_DEFINITIONS) as TableKey[];
export const BUCKET_KEYS = Object.keys(BUCKET_PATTERNS) as BucketKey[];

/**
 * Tables the legacy never migrates (logs, short-lived state): left untouched, and the plan lists
 * them with this reason.
 */
export const NOT_MIGRATED_TABLES: Readonly<Partial<Record<TableKey, string>>> = {
  AMPLIFY_ADMIN_LOGS_DYNAMODB_TABLE: 'audit log: historical user attribute kept as written (legacy never migrates it)',
  AMPLIFY_GROUP_LOGS_DYNAMODB_TABLE: 'audit log: historical user attribute kept as written (legacy never migrates it)',
  OP_LOG_DYNAMO_TABLE: 'operation log: historical records kept as written (legacy never migrates it)',
  REQUEST_STATE_DYNAMO_TABLE: 'short-lived request state (legacy never migrates it)',
};

export interface DeploymentRef {
  depName: string;
  stage: string;
  region?: string;
}

export interface Deployment extends DeploymentRef {
  tables: Readonly<Record<TableKey, string>>;
  buckets: Readonly<Record<BucketKey, string>>;
  /** The removed basic-ops service's CloudFormation stack; it claims the `/user-data` API path. */
  basicOpsStack: string;
}

/** Serverless stage and service names allow letters, digits and hyphens; S3 bucket names need lower case. */
const NAME_PART = /^[a-z0-9][a-z0-9-]{0,30}$/;

export class DeploymentNameError extends Error {}

export function validateDeploymentRef(ref: DeploymentRef): void {
  for (const [label, value] of [
    ['dep name', ref.depName],
    ['stage', ref.stage],
  ] as const) {
    if (!NAME_PART.test(value)) {
      throw new DeploymentNameError(
        `invalid ${label} "${value}": use 1-31 lower-case letters, digits or hyphens, starting with a letter or digit`,
      );
    }
  }
}

function expand(pattern: string, ref: DeploymentRef): string {
  return pattern.replaceAll('{d}', ref.depName).replaceAll('{s}', ref.stage);
}

/**
 * Builds the physical names. `overrides` maps a config key (e.g. SHARES_DYNAMODB_TABLE) to a
 * physical name, for deployments whose resources were renamed by hand.
 */
export function buildDeployment(ref: DeploymentRef, overrides: Readonly<Record<string, string>> = {}): Deployment {
  validateDeploymentRef(ref);
  const known = new Set<string>([...TABLE_KEYS, ...BUCKET_KEYS]);
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) throw new DeploymentNameError(`unknown resource override "${key}": not a table or bucket config key`);
  }
  const tables = Object.fromEntries(
    TABLE_KEYS.map((key) => [key, overrides[key] ?? expand(TABLE_DEFINITIONS[key].pattern, ref)]),
  ) as Record<TableKey, string>;
  const buckets = Object.fromEntries(
    BUCKET_KEYS.map((key) => [key, overrides[key] ?? expand(BUCKET_PATTERNS[key], ref)]),
  ) as Record<BucketKey, string>;
  return { ...ref, tables, buckets, basicOpsStack: expand(BASIC_OPS_STACK_PATTERN, ref) };
}

export function tableSchema(key: TableKey): TableSchema {
  return TABLE_DEFINITIONS[key].schema;
}

/** Environment variables of the form AMPLIFY_MIGRATE_NAME_<CONFIG_KEY>=<physical name>. */
export const OVERRIDE_ENV_PREFIX = 'AMPLIFY_MIGRATE_NAME_';
export function overridesFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(OVERRIDE_ENV_PREFIX) && value) out[name.slice(OVERRIDE_ENV_PREFIX.length)] = value;
  }
  return out;
}

/**
 * A deployment as it travels in Temporal payloads: its ref and only the names that differ
 * from the catalogue's patterns. A child workflow per user would otherwise carry all 58
 * physical names, and the parent's history would grow by them for every user.
 */
export interface CompactDeployment extends DeploymentRef {
  overrides: Record<string, string>;
  basicOpsStack?: string;
}

export function compactDeployment(deployment: Deployment): CompactDeployment {
  const ref: DeploymentRef = { depName: deployment.depName, stage: deployment.stage, ...(deployment.region ? { region: deployment.region } : {}) };
  const standard = buildDeployment(ref);
  const overrides: Record<string, string> = {};
  for (const key of TABLE_KEYS) if (deployment.tables[key] !== standard.tables[key]) overrides[key] = deployment.tables[key];
  for (const key of BUCKET_KEYS) if (deployment.buckets[key] !== standard.buckets[key]) overrides[key] = deployment.buckets[key];
  return { ...ref, overrides, ...(deployment.basicOpsStack !== standard.basicOpsStack ? { basicOpsStack: deployment.basicOpsStack } : {}) };
}

export function expandDeployment(compact: CompactDeployment): Deployment {
  const { overrides, basicOpsStack, ...ref } = compact;
  const deployment = buildDeployment(ref, overrides);
  return basicOpsStack ? { ...deployment, basicOpsStack } : deployment;
}
