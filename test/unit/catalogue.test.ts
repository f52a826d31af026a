import { buildDeployment, TABLE_KEYS, BUCKET_KEYS, tableSchema, DeploymentNameError, overridesFromEnv } from '../../src/deployment/catalogue';

describe('deployment catalogue', () => {
  const d = buildDeployment({ depName: 'v6', stage: 'dev' });

  it('has the 45 tables and 13 buckets of scripts/config.py', () => {
    expect(TABLE_KEYS).toHaveLength(45);
    expect(BUCKET_KEYS).toHaveLength(13);
  });

  it.each([
    ['ACCOUNTS_DYNAMO_TABLE', 'amplify-v6-lambda-dev-accounts'],
    ['ADDITIONAL_CHARGES_TABLE', 'amplify-v6-chat-billing-dev-additional-charges'],
    ['AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE', 'amplify-v6-agent-loop-dev-agent-event-templates'],
    ['AMPLIFY_ADMIN_DYNAMODB_TABLE', 'amplify-v6-admin-dev-admin-configs'],
    ['API_KEYS_DYNAMODB_TABLE', 'amplify-v6-object-access-dev-api-keys'],
    ['ARTIFACTS_DYNAMODB_TABLE', 'amplify-v6-artifacts-dev-user-artifacts'],
    ['ASSISTANTS_ALIASES_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-assistant-aliases'],
    ['LAYERED_ASSISTANTS_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-layered-assistants'],
    ['ASSISTANTS_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-assistants'],
    ['ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-code-interpreter-assistants'],
    ['ASSISTANT_GROUPS_DYNAMO_TABLE', 'amplify-v6-object-access-dev-amplify-groups'],
    ['ASSISTANT_LOOKUP_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-assistant-lookup'],
    ['ASSISTANT_THREADS_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-assistant-threads'],
    ['ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE', 'amplify-v6-assistants-dev-assistant-thread-runs'],
    ['CHAT_USAGE_DYNAMO_TABLE', 'amplify-v6-lambda-dev-chat-usage'],
    ['COGNITO_USERS_DYNAMODB_TABLE', 'amplify-v6-object-access-dev-cognito-users'],
    ['CONVERSATION_METADATA_TABLE', 'amplify-v6-lambda-dev-conversation-metadata'],
    ['COST_CALCULATIONS_DYNAMO_TABLE', 'amplify-v6-lambda-dev-cost-calculations'],
    ['DATA_DISCLOSURE_ACCEPTANCE_TABLE', 'amplify-v6-data-disclosure-dev-acceptance'],
    ['DATA_DISCLOSURE_VERSIONS_TABLE', 'amplify-v6-data-disclosure-dev-versions'],
    ['DB_CONNECTIONS_TABLE', 'amplify-v6-lambda-dev-db-connections'],
    ['EMAIL_SETTINGS_DYNAMO_TABLE', 'amplify-v6-agent-loop-dev-email-allowed-senders'],
    ['FILES_DYNAMO_TABLE', 'amplify-v6-lambda-dev-user-files'],
    ['GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE', 'amplify-v6-assistants-dev-group-assistant-conversations'],
    ['HASH_FILES_DYNAMO_TABLE', 'amplify-v6-lambda-dev-hash-files'],
    ['HISTORY_COST_CALCULATIONS_DYNAMO_TABLE', 'amplify-v6-lambda-dev-history-cost-calculations'],
    ['OAUTH_STATE_TABLE', 'amplify-v6-assistants-api-dev-oauth-state'],
    ['OAUTH_USER_TABLE', 'amplify-v6-assistants-api-dev-user-oauth-integrations'],
    ['OBJECT_ACCESS_DYNAMODB_TABLE', 'amplify-v6-object-access-dev-object-access'],
    ['OPS_DYNAMODB_TABLE', 'amplify-v6-lambda-ops-dev-ops'],
    ['SCHEDULED_TASKS_TABLE', 'amplify-v6-agent-loop-dev-scheduled-tasks'],
    ['SHARES_DYNAMODB_TABLE', 'amplify-v6-lambda-dev'],
    ['OLD_USER_STORAGE_TABLE', 'amplify-v6-lambda-basic-ops-dev-user-storage'],
    ['USER_DATA_STORAGE_TABLE', 'amplify-v6-lambda-dev-user-data-storage'],
    ['USER_TAGS_DYNAMO_TABLE', 'amplify-v6-lambda-dev-user-tags'],
    ['WORKFLOW_TEMPLATES_TABLE', 'amplify-v6-agent-loop-dev-workflow-registry'],
    ['AGENT_STATE_DYNAMODB_TABLE', 'amplify-v6-agent-loop-dev-agent-state'],
    ['AMPLIFY_ADMIN_LOGS_DYNAMODB_TABLE', 'amplify-v6-admin-dev-admin-logs'],
    ['AMPLIFY_GROUP_LOGS_DYNAMODB_TABLE', 'amplify-v6-object-access-dev-amplify-group-logs'],
    ['OP_LOG_DYNAMO_TABLE', 'amplify-v6-assistants-api-dev-op-log'],
    ['REQUEST_STATE_DYNAMO_TABLE', 'amplify-v6-amplify-js-dev-request-state'],
    ['MEMORY_DYNAMO_TABLE', 'amplify-v6-memory-dev-memory'],
    ['COMMON_DATA_DYNAMO_TABLE', 'amplify-v6-se-dev-ops-common-data'],
    ['DYNAMO_DYNAMIC_CODE_TABLE', 'amplify-v6-se-dev-ai-code'],
    ['EMBEDDING_PROGRESS_TABLE', 'amplify-v6-embedding-dev-embedding-progress'],
  ] as const)('table %s is %s', (key, name) => {
    expect(d.tables[key]).toBe(name);
  });

  it.each([
    ['S3_CONSOLIDATION_BUCKET_NAME', 'amplify-v6-lambda-dev-consolidation'],
    ['S3_CONVERSATIONS_BUCKET_NAME', 'amplify-v6-lambda-dev-user-conversations'],
    ['S3_SHARE_BUCKET_NAME', 'amplify-v6-lambda-dev-share'],
    ['ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME', 'amplify-v6-assistants-dev-code-interpreter-files'],
    ['AGENT_STATE_BUCKET', 'amplify-v6-agent-loop-dev-agent-state'],
    ['S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME', 'amplify-v6-assistants-dev-group-conversations-content'],
    ['S3_CONVERSION_INPUT_BUCKET_NAME', 'amplify-v6-lambda-dev-document-conversion-input'],
    ['S3_CONVERSION_OUTPUT_BUCKET_NAME', 'amplify-v6-lambda-dev-document-conversion-output'],
    ['DATA_DISCLOSURE_STORAGE_BUCKET', 'amplify-v6-data-disclosure-dev-storage'],
    ['S3_API_DOCUMENTATION_BUCKET', 'amplify-v6-api-dev-documentation-bucket'],
    ['SCHEDULED_TASKS_LOGS_BUCKET', 'amplify-v6-agent-loop-dev-scheduled-tasks-logs'],
    ['S3_ARTIFACTS_BUCKET', 'amplify-v6-artifacts-dev-bucket'],
    ['WORKFLOW_TEMPLATES_BUCKET', 'amplify-v6-agent-loop-dev-workflow-templates'],
  ] as const)('bucket %s is %s', (key, name) => {
    expect(d.buckets[key]).toBe(name);
  });

  it('agent state table and bucket share one name, as in the legacy config', () => {
    expect(d.tables.AGENT_STATE_DYNAMODB_TABLE).toBe(d.buckets.AGENT_STATE_BUCKET);
  });

  it.each([
    ['ASSISTANTS_ALIASES_DYNAMODB_TABLE', 'user', 'assistantId', ['AssistantIdIndex(assistantId,user)', 'UserIndex(user,createdAt)']],
    ['ASSISTANTS_DYNAMODB_TABLE', 'id', undefined, ['UserIndex(user)', 'UserNameIndex(user,name)', 'AssistantIdIndex(assistantId,version)']],
    ['CONVERSATION_METADATA_TABLE', 'user_id', 'conversation_id', ['TimestampIndex(user_id,last_modified)']],
    ['COST_CALCULATIONS_DYNAMO_TABLE', 'id', 'accountInfo', ['record-type-user-index(record_type,id)']],
    ['HISTORY_COST_CALCULATIONS_DYNAMO_TABLE', 'userDate', 'accountInfo', ['record-type-user-index(record_type,userDate)']],
    ['OBJECT_ACCESS_DYNAMODB_TABLE', 'object_id', 'principal_id', ['PrincipalIdIndex(principal_id)']],
    ['SHARES_DYNAMODB_TABLE', 'id', undefined, ['UserIndex(user)', 'UserNameIndex(user,name)']],
    ['USER_DATA_STORAGE_TABLE', 'PK', 'SK', ['UUID-index(UUID)']],
    ['OLD_USER_STORAGE_TABLE', 'PK', 'SK', ['UUID-index(UUID)']],
    ['WORKFLOW_TEMPLATES_TABLE', 'user', 'templateId', ['TemplateIdPublicIndex(templateId,isPublic)']],
    ['FILES_DYNAMO_TABLE', 'id', undefined, ['createdBy(createdBy,id)', 'createdByAndAt(createdBy,createdAt)', 'createdByAndType(createdBy,type)', 'createdByAndName(createdBy,name)']],
    ['EMAIL_SETTINGS_DYNAMO_TABLE', 'email', 'tag', []],
    ['AGENT_STATE_DYNAMODB_TABLE', 'user', 'sessionId', []],
  ] as const)('schema of %s', (key, hash, range, indexes) => {
    const s = tableSchema(key);
    expect(s.hash.name).toBe(hash);
    expect(s.range?.name).toBe(range);
    expect(s.indexes.map((i) => `${i.name}(${[i.hash.name, i.range?.name].filter(Boolean).join(',')})`)).toEqual(indexes);
  });

  it('types isPublic as a number, as the service defines it', () => {
    expect(tableSchema('WORKFLOW_TEMPLATES_TABLE').indexes[0].range).toEqual({ name: 'isPublic', type: 'N' });
  });

  it('applies per-resource overrides by config key and refuses unknown keys', () => {
    const o = buildDeployment({ depName: 'v6', stage: 'dev' }, overridesFromEnv({ AMPLIFY_MIGRATE_NAME_SHARES_DYNAMODB_TABLE: 'my-shares' }));
    expect(o.tables.SHARES_DYNAMODB_TABLE).toBe('my-shares');
    expect(() => buildDeployment({ depName: 'v6', stage: 'dev' }, { NOPE_TABLE: 'x' })).toThrow(/unknown resource override "NOPE_TABLE"/);
  });

  it('rejects stage and dep names that cannot form resource names', () => {
    expect(() => buildDeployment({ depName: 'v6', stage: 'Dev_1' })).toThrow(DeploymentNameError);
    expect(() => buildDeployment({ depName: 'v 6', stage: 'dev' })).toThrow(/invalid dep name "v 6"/);
  });
});
