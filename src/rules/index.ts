/**
 * Every table rule, in the legacy order: the cognito-users gate, the
 * ID-change block (§8, with the layered assistants where HEAD inserts them), the ALWAYS
 * block (§9, src/rules/always), then the data-disclosure versions table, which the legacy
 * rewrote once per run (§10). Which rules a user or a run applies is src/plan/steps.ts's
 * business (perUserTables, scannedTables, referenceTables).
 */
import type { TableKey } from '../deployment/catalogue';
import { AMPLIFY_ADMIN_RULE } from './admin';
import { EMAIL_SETTINGS_RULE } from './agentLoop';
import { ALWAYS_TABLE_RULES, DATA_DISCLOSURE_VERSIONS_RULE } from './always';
import {
  ASSISTANTS_ALIASES_RULE,
  ASSISTANTS_RULE,
  ASSISTANT_LOOKUP_RULE,
  ASSISTANT_THREADS_RULE,
  ASSISTANT_THREAD_RUNS_RULE,
  LAYERED_ASSISTANTS_RULE,
} from './assistants';
import { ADDITIONAL_CHARGES_RULE, CHAT_USAGE_RULE, COST_CALCULATIONS_RULE, HISTORY_COST_CALCULATIONS_RULE } from './billing';
import { COGNITO_USERS_RULE } from './cognitoUsers';
import { EMBEDDING_PROGRESS_RULE, FILES_RULE, HASH_FILES_RULE } from './files';
import { OAUTH_STATE_RULE, OAUTH_USER_RULE } from './oauth';
import { API_KEYS_RULE, ASSISTANT_GROUPS_RULE, OBJECT_ACCESS_RULE } from './objectAccess';
import { COMMON_DATA_RULE, DYNAMIC_CODE_RULE, MEMORY_RULE } from './sharedServices';
import type { TableRule } from './types';
import {
  ACCOUNTS_RULE,
  AGENT_EVENT_TEMPLATES_RULE,
  DATA_DISCLOSURE_ACCEPTANCE_RULE,
  DB_CONNECTIONS_RULE,
  OPS_RULE,
  USER_TAGS_RULE,
} from './userRecords';

export { COGNITO_USERS_RULE };

/** The 29 tables of the ID-change block (§8.1-§8.29), run only for pairs whose id changes. */
export const ID_CHANGE_TABLE_RULES: readonly TableRule[] = [
  ACCOUNTS_RULE,
  API_KEYS_RULE,
  OPS_RULE,
  OAUTH_STATE_RULE,
  AMPLIFY_ADMIN_RULE,
  AGENT_EVENT_TEMPLATES_RULE,
  OBJECT_ACCESS_RULE,
  ASSISTANTS_ALIASES_RULE,
  ASSISTANTS_RULE,
  ASSISTANT_GROUPS_RULE,
  ASSISTANT_LOOKUP_RULE,
  LAYERED_ASSISTANTS_RULE,
  ASSISTANT_THREADS_RULE,
  ASSISTANT_THREAD_RUNS_RULE,
  CHAT_USAGE_RULE,
  COST_CALCULATIONS_RULE,
  DATA_DISCLOSURE_ACCEPTANCE_RULE,
  DB_CONNECTIONS_RULE,
  EMAIL_SETTINGS_RULE,
  FILES_RULE,
  HASH_FILES_RULE,
  EMBEDDING_PROGRESS_RULE,
  HISTORY_COST_CALCULATIONS_RULE,
  ADDITIONAL_CHARGES_RULE,
  OAUTH_USER_RULE,
  USER_TAGS_RULE,
  MEMORY_RULE,
  COMMON_DATA_RULE,
  DYNAMIC_CODE_RULE,
];

export { ALWAYS_TABLE_RULES };

/**
 * All rules in the legacy order: gate, ID-change block, ALWAYS block, the run-wide
 * data-disclosure versions (last, so every list derived from this one keeps its order).
 */
export const TABLE_RULES: readonly TableRule[] = [COGNITO_USERS_RULE, ...ID_CHANGE_TABLE_RULES, ...ALWAYS_TABLE_RULES, DATA_DISCLOSURE_VERSIONS_RULE];

const RULE_BY_TABLE = new Map<TableKey, TableRule>(TABLE_RULES.map((rule) => [rule.table, rule]));

export function ruleFor(table: TableKey): TableRule | undefined {
  return RULE_BY_TABLE.get(table);
}
