/**
 * The ALWAYS block (the legacy's last step for each user): run for every user, also when the id
 * does not change. In-table rewrites only; the S3 copies are src/s3layout's layouts and the
 * USER_DATA_STORAGE conversions are src/uds/'s. Pointer attributes move only when
 * ctx.pointersReady says their data is copied and verified.
 */
import type { TableRule } from '../types';
import { AGENT_STATE_RULE } from './agentState';
import { ARTIFACTS_RULE } from './artifacts';
import { CODE_INTERPRETER_RULE } from './codeInterpreter';
import { CONVERSATION_METADATA_RULE } from './conversationMetadata';
import { GROUP_ASSISTANT_CONVERSATIONS_RULE } from './groupConversations';
import { SCHEDULED_TASKS_RULE } from './scheduledTasks';
import { SHARES_RULE } from './shares';
import { WORKFLOW_TEMPLATES_RULE } from './workflowTemplates';

export {
  AGENT_STATE_RULE,
  ARTIFACTS_RULE,
  CODE_INTERPRETER_RULE,
  CONVERSATION_METADATA_RULE,
  GROUP_ASSISTANT_CONVERSATIONS_RULE,
  SCHEDULED_TASKS_RULE,
  SHARES_RULE,
  WORKFLOW_TEMPLATES_RULE,
};
export { DATA_DISCLOSURE_VERSIONS_RULE, createDataDisclosureVersionsRule } from './dataDisclosureVersions';

/** In the legacy order of §5.2. */
export const ALWAYS_TABLE_RULES: TableRule[] = [
  AGENT_STATE_RULE,
  ARTIFACTS_RULE,
  WORKFLOW_TEMPLATES_RULE,
  CODE_INTERPRETER_RULE,
  CONVERSATION_METADATA_RULE,
  GROUP_ASSISTANT_CONVERSATIONS_RULE,
  SCHEDULED_TASKS_RULE,
  SHARES_RULE,
];
