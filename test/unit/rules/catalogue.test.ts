import { tableSchema, TABLE_KEYS, NOT_MIGRATED_TABLES, type TableKey } from '../../../src/deployment/catalogue';
import { COGNITO_USERS_RULE, ID_CHANGE_TABLE_RULES, TABLE_RULES, ruleFor } from '../../../src/rules';
import { DATA_DISCLOSURE_VERSIONS_RULE } from '../../../src/rules/always';
import { perUserTables, scannedTables } from '../../../src/plan/steps';

/** The ID-change block of id-migration.md §5.2 (with HEAD's layered assistants at step 12). */
const ID_CHANGE_ORDER: TableKey[] = [
  'ACCOUNTS_DYNAMO_TABLE',
  'API_KEYS_DYNAMODB_TABLE',
  'OPS_DYNAMODB_TABLE',
  'OAUTH_STATE_TABLE',
  'AMPLIFY_ADMIN_DYNAMODB_TABLE',
  'AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE',
  'OBJECT_ACCESS_DYNAMODB_TABLE',
  'ASSISTANTS_ALIASES_DYNAMODB_TABLE',
  'ASSISTANTS_DYNAMODB_TABLE',
  'ASSISTANT_GROUPS_DYNAMO_TABLE',
  'ASSISTANT_LOOKUP_DYNAMODB_TABLE',
  'LAYERED_ASSISTANTS_DYNAMODB_TABLE',
  'ASSISTANT_THREADS_DYNAMODB_TABLE',
  'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE',
  'CHAT_USAGE_DYNAMO_TABLE',
  'COST_CALCULATIONS_DYNAMO_TABLE',
  'DATA_DISCLOSURE_ACCEPTANCE_TABLE',
  'DB_CONNECTIONS_TABLE',
  'EMAIL_SETTINGS_DYNAMO_TABLE',
  'FILES_DYNAMO_TABLE',
  'HASH_FILES_DYNAMO_TABLE',
  'EMBEDDING_PROGRESS_TABLE',
  'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
  'ADDITIONAL_CHARGES_TABLE',
  'OAUTH_USER_TABLE',
  'USER_TAGS_DYNAMO_TABLE',
  'MEMORY_DYNAMO_TABLE',
  'COMMON_DATA_DYNAMO_TABLE',
  'DYNAMO_DYNAMIC_CODE_TABLE',
];

/** Where the user id sits for rules that query the table or an index with the old id. */
const USER_ATTRIBUTE: Partial<Record<TableKey, string>> = {
  COGNITO_USERS_DYNAMODB_TABLE: 'user_id',
  ACCOUNTS_DYNAMO_TABLE: 'user',
  OPS_DYNAMODB_TABLE: 'user',
  AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE: 'user',
  OBJECT_ACCESS_DYNAMODB_TABLE: 'principal_id',
  ASSISTANTS_ALIASES_DYNAMODB_TABLE: 'user',
  ASSISTANTS_DYNAMODB_TABLE: 'user',
  LAYERED_ASSISTANTS_DYNAMODB_TABLE: 'createdBy',
  ASSISTANT_THREADS_DYNAMODB_TABLE: 'user',
  ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE: 'user',
  CHAT_USAGE_DYNAMO_TABLE: 'user',
  COST_CALCULATIONS_DYNAMO_TABLE: 'id',
  DATA_DISCLOSURE_ACCEPTANCE_TABLE: 'user',
  DB_CONNECTIONS_TABLE: 'user',
  FILES_DYNAMO_TABLE: 'createdBy',
  USER_TAGS_DYNAMO_TABLE: 'user',
  MEMORY_DYNAMO_TABLE: 'user',
};

describe('rule catalogue', () => {
  it('has the 29 ID-change tables in the legacy per-user order, all run only when the id changes', () => {
    expect(ID_CHANGE_TABLE_RULES.map((r) => r.table)).toEqual(ID_CHANGE_ORDER);
    expect(ID_CHANGE_TABLE_RULES.every((r) => r.when === 'idChanged')).toBe(true);
  });

  it('starts TABLE_RULES with the cognito-users gate (always) followed by the ID-change block', () => {
    expect(COGNITO_USERS_RULE).toMatchObject({ table: 'COGNITO_USERS_DYNAMODB_TABLE', when: 'always' });
    expect(TABLE_RULES.slice(0, 30).map((r) => r.table)).toEqual(['COGNITO_USERS_DYNAMODB_TABLE', ...ID_CHANGE_ORDER]);
    expect(TABLE_RULES.slice(30).every((r) => r.when === 'always')).toBe(true);
  });

  it('has exactly one rule per table and ruleFor finds it', () => {
    const tables = TABLE_RULES.map((r) => r.table);
    expect(new Set(tables).size).toBe(tables.length);
    for (const table of ['COGNITO_USERS_DYNAMODB_TABLE' as TableKey, ...ID_CHANGE_ORDER]) {
      expect(tables.filter((t) => t === table)).toHaveLength(1);
      expect(ruleFor(table)?.table).toBe(table);
    }
    for (const table of Object.keys(NOT_MIGRATED_TABLES) as TableKey[]) expect(ruleFor(table)).toBeUndefined();
  });

  it.each(TABLE_RULES.map((r) => [r.table, r] as const))('%s: finder matches the catalogue schema', (table, rule) => {
    expect(TABLE_KEYS).toContain(table);
    const schema = tableSchema(table);
    const userAttribute = USER_ATTRIBUTE[table];
    switch (rule.finder.kind) {
      case 'partitionKey':
        if (userAttribute) expect(schema.hash.name).toBe(userAttribute);
        break;
      case 'index': {
        const { index } = rule.finder;
        const found = schema.indexes.find((i) => i.name === index);
        expect(found).toBeDefined();
        if (userAttribute) expect(found?.hash.name).toBe(userAttribute);
        break;
      }
      case 'scan':
        break;
    }
  });

  it('queries every ID-change table whose user attribute a key or index reaches, and scans only the others', () => {
    const queried = [...ID_CHANGE_TABLE_RULES, COGNITO_USERS_RULE].filter((r) => r.finder.kind !== 'scan').map((r) => r.table);
    expect(queried.sort()).toEqual(Object.keys(USER_ATTRIBUTE).sort());
    expect(ID_CHANGE_TABLE_RULES.filter((r) => r.finder.kind === 'scan').map((r) => r.table)).toEqual([
      'API_KEYS_DYNAMODB_TABLE',
      'OAUTH_STATE_TABLE',
      'AMPLIFY_ADMIN_DYNAMODB_TABLE',
      'ASSISTANT_GROUPS_DYNAMO_TABLE',
      'ASSISTANT_LOOKUP_DYNAMODB_TABLE',
      'EMAIL_SETTINGS_DYNAMO_TABLE',
      'HASH_FILES_DYNAMO_TABLE',
      'EMBEDDING_PROGRESS_TABLE',
      'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
      'ADDITIONAL_CHARGES_TABLE',
      'OAUTH_USER_TABLE',
      'COMMON_DATA_DYNAMO_TABLE',
      'DYNAMO_DYNAMIC_CODE_TABLE',
    ]);
  });

  it('uses UserIndex for assistants, never the UserNameIndex that misses unnamed items', () => {
    for (const rule of TABLE_RULES) expect(rule.finder).not.toEqual({ kind: 'index', index: 'UserNameIndex' });
    expect(ruleFor('ASSISTANTS_DYNAMODB_TABLE')?.finder).toEqual({ kind: 'index', index: 'UserIndex' });
  });

  it('marks key changes exactly where the user id is part of the primary key', () => {
    const moving = ID_CHANGE_TABLE_RULES.filter((r) => r.keyMayChange).map((r) => r.table);
    expect(moving).toEqual([
      'ACCOUNTS_DYNAMO_TABLE',
      'OPS_DYNAMODB_TABLE',
      'AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE',
      'OBJECT_ACCESS_DYNAMODB_TABLE',
      'ASSISTANTS_ALIASES_DYNAMODB_TABLE',
      'ASSISTANT_THREADS_DYNAMODB_TABLE',
      'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE',
      'COST_CALCULATIONS_DYNAMO_TABLE',
      'DATA_DISCLOSURE_ACCEPTANCE_TABLE',
      'EMAIL_SETTINGS_DYNAMO_TABLE',
      'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
      'ADDITIONAL_CHARGES_TABLE',
      'OAUTH_USER_TABLE',
      'USER_TAGS_DYNAMO_TABLE',
      'COMMON_DATA_DYNAMO_TABLE',
    ]);
    expect(COGNITO_USERS_RULE.keyMayChange).toBe(true);
  });

  it('splits the catalogue into per-user tables and once-per-run scans, each table once, in order (src/plan/steps.ts)', () => {
    const perUser = perUserTables({ oldId: 'a', newId: 'b' });
    const scanned = scannedTables(true);
    expect([...perUser, ...scanned].sort()).toEqual(TABLE_RULES.map((r) => r.table).sort());
    expect(perUser.every((t) => ruleFor(t)!.finder.kind !== 'scan')).toBe(true);
    expect(scanned.every((t) => ruleFor(t)!.finder.kind === 'scan')).toBe(true);
    expect(perUser[0]).toBe('COGNITO_USERS_DYNAMODB_TABLE');
    expect(perUser[1]).toBe('ACCOUNTS_DYNAMO_TABLE');
    expect(scanned[0]).toBe('API_KEYS_DYNAMODB_TABLE');
    // The run-wide data-disclosure versions table is in the catalogue, scanned last.
    expect(ruleFor(DATA_DISCLOSURE_VERSIONS_RULE.table)).toBe(DATA_DISCLOSURE_VERSIONS_RULE);
    expect(scanned[scanned.length - 1]).toBe(DATA_DISCLOSURE_VERSIONS_RULE.table);
  });

  it('applies the ID-change rules only for pairs that change the id', () => {
    const sameId = perUserTables({ oldId: 'a', newId: 'a' });
    expect(sameId).toContain('COGNITO_USERS_DYNAMODB_TABLE');
    expect(sameId.some((t) => ruleFor(t)!.when === 'idChanged')).toBe(false);
    expect(scannedTables(false).some((t) => ruleFor(t)!.when === 'idChanged')).toBe(false);
    expect(perUserTables({ oldId: 'a', newId: 'b' })).toEqual(TABLE_RULES.filter((r) => r.finder.kind !== 'scan').map((r) => r.table));
  });

  it('describes every rule for the plan', () => {
    for (const rule of TABLE_RULES) expect(rule.describe.length).toBeGreaterThan(10);
  });
});
