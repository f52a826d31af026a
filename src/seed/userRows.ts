/**
 * Per-user rows of the tables that hold no S3 pointer, shaped as legacy/id-migration.md §7-§8
 * and names-and-tables.md §4 record them. Each function writes one table family for one person.
 */
import { tableSchema, type TableKey } from '../deployment/catalogue';
import type { Random } from './random';
import { decimal, stringSet } from './plain';
import {
  dayAfterOrigin,
  epochSeconds,
  instant,
  iso,
  isoDay,
  sentence,
  type Person,
  type SeedContext,
} from './context';

const MODELS = ['gpt-4o', 'claude-3-5-sonnet', 'gpt-4o-mini', 'mistral-large'];
const FILE_NAMES = ['Syllabus 2025.pdf', 'grant+budget.xlsx', 'Résumé final.docx', 'lab notes.md', 'data.csv'];
const FILE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown',
  csv: 'text/csv',
};

/** References that later families point at. */
export interface PersonRefs {
  fileIds: string[];
  threadIds: string[];
  codeInterpreterAssistantId: string;
  ownerApiKeyId: string;
}

/**
 * A number stored in an attribute some GSI keys on: written with the type the catalogue
 * declares for that key, since DynamoDB rejects an item whose index key has another type.
 */
function indexKeyNumber(table: TableKey, attribute: string, value: number): string | number {
  const declared = tableSchema(table).indexes.flatMap((i) => [i.hash, i.range]).find((a) => a?.name === attribute);
  return declared?.type === 'S' ? String(value) : value;
}

const given = (id: string) => id.split('@')[0].split(/[.+]/)[0];

export function cognitoUserRow(ctx: SeedContext, p: Person): void {
  const [first, last = ''] = p.id.split('@')[0].split('.');
  ctx.item(
    'COGNITO_USERS_DYNAMODB_TABLE',
    {
      user_id: p.id,
      email: p.id,
      given_name: first,
      family_name: last || undefined,
      custom_groups: stringSet(['amplify-users', p.index % 2 === 0 ? 'faculty' : 'students']),
      created_at: iso(instant(ctx.rng)),
    },
    p.id,
  );
}

/** FILES + HASH_FILES + EMBEDDING_PROGRESS + OBJECT_ACCESS: one uploaded file per item. */
export function fileRows(ctx: SeedContext, p: Person, rng: Random): string[] {
  const fileIds: string[] = [];
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    const at = instant(rng);
    const id = `${p.id}/${isoDay(at)}/${rng.uuid()}.json`;
    const name = FILE_NAMES[i % FILE_NAMES.length];
    fileIds.push(id);
    ctx.item(
      'FILES_DYNAMO_TABLE',
      {
        id,
        createdBy: p.id,
        // One file was last edited by a peer: updatedBy must only change when it is the old id.
        updatedBy: i === 1 ? p.peers[0] : p.id,
        createdAt: iso(at),
        updatedAt: iso(at),
        name,
        type: FILE_TYPES[name.split('.').pop() ?? 'pdf'] ?? 'application/octet-stream',
        knowledgeBase: 'default',
        tags: stringSet(['course', `week-${i + 1}`]),
        totalTokens: rng.between(200, 90_000),
        totalItems: rng.between(1, 400),
        data: { pages: rng.between(1, 40), language: 'en' },
      },
      p.id,
    );
    ctx.item(
      'HASH_FILES_DYNAMO_TABLE',
      {
        id: rng.hex(64),
        originalCreator: p.id,
        textLocationKey: `${id}.content.json`,
        dataSourceKey: id,
        createdAt: iso(at),
      },
      p.id,
    );
    ctx.item(
      'EMBEDDING_PROGRESS_TABLE',
      {
        object_id: id,
        originalCreator: p.id,
        status: 'completed',
        totalChunks: rng.between(1, 60),
        terminated: false,
        data: { childChunks: { '1': { status: 'completed' }, '2': { status: 'completed' } } },
        timestamp: iso(at),
      },
      p.id,
    );
    ctx.item(
      'OBJECT_ACCESS_DYNAMODB_TABLE',
      { object_id: id, principal_id: p.id, principal_type: 'user', permission_level: 'owner', policy: null },
      p.id,
    );
  }
  if (fileIds.length > 0 && p.peers[0] !== p.id) {
    ctx.item(
      'OBJECT_ACCESS_DYNAMODB_TABLE',
      { object_id: fileIds[0], principal_id: p.peers[0], principal_type: 'user', permission_level: 'read', policy: null },
      p.id,
    );
  }
  return fileIds;
}

export function accountRows(ctx: SeedContext, p: Person, rng: Random): string {
  ctx.item(
    'ACCOUNTS_DYNAMO_TABLE',
    {
      user: p.id,
      accounts: [
        { id: 'general_account', name: 'General Account', isDefault: true, rateLimit: { period: 'Unlimited', rate: null } },
        { id: `coa-${rng.between(1000, 9999)}-${rng.between(10, 99)}`, name: 'Research grant', isDefault: false, rateLimit: { period: 'Daily', rate: decimal('25.00') } },
      ],
    },
    p.id,
  );
  const ownerKeyId = rng.uuid();
  const key = (kind: string, keyId: string, delegate: string | null) =>
    ctx.item(
      'API_KEYS_DYNAMODB_TABLE',
      {
        api_owner_id: `${p.id}/${kind}Key/${keyId}`,
        owner: p.id,
        delegate,
        apiKey: `amp-${rng.hex(32)}`,
        account: { id: 'general_account', name: 'General Account' },
        systemId: null,
        active: true,
        applicationName: `${given(p.id)}'s ${kind} key`,
        applicationDescription: sentence(rng, 6),
        accessTypes: ['chat', 'file_upload', 'assistants'],
        rateLimit: { period: 'Unlimited', rate: null },
        createdAt: iso(instant(rng)),
        lastAccessed: iso(instant(rng)),
      },
      p.id,
    );
  key('owner', ownerKeyId, null);
  if (p.index % 2 === 0 && p.peers[0] !== p.id) key('delegate', rng.uuid(), p.peers[0]);
  return ownerKeyId;
}

export function opsRows(ctx: SeedContext, p: Person, rng: Random): void {
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    ctx.item(
      'OPS_DYNAMODB_TABLE',
      {
        user: p.id,
        tag: i === 0 ? 'default' : `custom-${i}`,
        ops: [
          {
            id: `op-${rng.hex(8)}`,
            name: 'searchLibrary',
            url: '/library/search',
            method: 'POST',
            description: sentence(rng, 5),
            params: [{ name: 'query', description: 'search text' }],
          },
        ],
      },
      p.id,
    );
  }
}

export function oauthRows(ctx: SeedContext, p: Person, rng: Random): void {
  ctx.item(
    'OAUTH_STATE_TABLE',
    { state: rng.uuid(), user: p.id, integration: 'google_drive', ttl: epochSeconds(instant(rng)) },
    p.id,
  );
  const providers = p.index % 2 === 0 ? ['google_drive'] : ['google_drive', 'microsoft_onedrive'];
  for (const provider of providers) {
    ctx.item(
      'OAUTH_USER_TABLE',
      {
        user_integration: `${p.id}/${provider}`,
        integrations: {
          token: {
            access_token: `ya29.${rng.hex(40)}`,
            refresh_token: `1//${rng.hex(40)}`,
            expires_at: epochSeconds(instant(rng)),
            scopes: ['drive.readonly', 'userinfo.email'],
          },
        },
        createdAt: iso(instant(rng)),
      },
      p.id,
    );
  }
}

export function agentEventTemplateRows(ctx: SeedContext, p: Person, rng: Random): void {
  ctx.item(
    'AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE',
    {
      user: p.id,
      tag: 'email-summary',
      prompt: [{ role: 'user', content: sentence(rng, 10) }],
      assistantId: `astp/${rng.hex(12)}`,
      createdAt: iso(instant(rng)),
    },
    p.id,
  );
}

/** ASSISTANTS + ALIASES + LOOKUP + LAYERED + OBJECT_ACCESS on the assistant. */
export function assistantRows(ctx: SeedContext, p: Person, rng: Random, fileIds: readonly string[]): void {
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    const assistantId = `astp/${rng.hex(16)}`;
    const id = `ast/${rng.uuid()}`;
    const at = iso(instant(rng));
    ctx.item(
      'ASSISTANTS_DYNAMODB_TABLE',
      {
        id,
        assistantId,
        version: indexKeyNumber('ASSISTANTS_DYNAMODB_TABLE', 'version', 1),
        user: p.id,
        // The last assistant has no name: UserNameIndex (user, name) does not see it.
        name: i === ctx.itemsPerUser - 1 && i > 0 ? undefined : `${given(p.id)} helper ${i + 1}`,
        description: sentence(rng, 6),
        instructions: sentence(rng, 14),
        dataSources: fileIds.slice(0, 1).map((key) => ({ id: `s3://${key}`, name: 'syllabus', type: 'application/pdf' })),
        tags: ['teaching'],
        createdAt: at,
        updatedAt: at,
      },
      p.id,
    );
    ctx.item('ASSISTANTS_ALIASES_DYNAMODB_TABLE', { user: p.id, assistantId, createdAt: at, data: { id } }, p.id);
    if (i === 0) {
      ctx.item(
        'OBJECT_ACCESS_DYNAMODB_TABLE',
        { object_id: assistantId, principal_id: p.id, principal_type: 'user', permission_level: 'owner', policy: null },
        p.id,
      );
      ctx.item(
        'ASSISTANT_LOOKUP_DYNAMODB_TABLE',
        {
          astPath: `${given(p.id)}-${p.index}/helper`,
          assistantId,
          createdBy: p.id,
          accessTo: { amplifyGroups: ['Engineering'], users: p.peers.filter((x) => x !== p.id) },
          public: false,
          pathHistory: [
            { assistantId, changedAt: at, changedBy: p.id },
            { assistantId, changedAt: at, changedBy: p.peers[p.peers.length - 1] },
          ],
          createdAt: at,
        },
        p.id,
      );
    }
  }
  const at = iso(instant(rng));
  ctx.item(
    'LAYERED_ASSISTANTS_DYNAMODB_TABLE',
    {
      assistantId: `astl/${rng.uuid()}`,
      createdBy: p.id,
      createdAt: at,
      updatedAt: at,
      name: `${given(p.id)} router`,
      rootNode: { type: 'router', children: [{ type: 'leaf', assistantId: `astp/${rng.hex(16)}` }] },
    },
    p.id,
  );
}

export function threadRows(ctx: SeedContext, p: Person, rng: Random, codeInterpreterAssistantId: string): string[] {
  const threadIds: string[] = [];
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    const threadId = `${p.id}/thr/${rng.uuid()}`;
    threadIds.push(threadId);
    ctx.item(
      'ASSISTANT_THREADS_DYNAMODB_TABLE',
      { id: threadId, user: p.id, name: `thread ${i + 1}`, openAiThreadId: `thread_${rng.hex(24)}`, timestamp: iso(instant(rng)) },
      p.id,
    );
    ctx.item(
      'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE',
      {
        id: `${p.id}/run/${rng.uuid()}`,
        user: p.id,
        assistant_key: codeInterpreterAssistantId,
        thread_key: threadId,
        status: 'completed',
        openAiRunId: `run_${rng.hex(24)}`,
        createdAt: iso(instant(rng)),
      },
      p.id,
    );
  }
  return threadIds;
}

/** CHAT_USAGE, COST_CALCULATIONS, HISTORY_COST_CALCULATIONS, ADDITIONAL_CHARGES. */
export function billingRows(
  ctx: SeedContext,
  p: Person,
  rng: Random,
  refs: { apiKeyId: string; threadIds: readonly string[]; codeInterpreterAssistantId: string },
): void {
  const cents = () => decimal(`${rng.between(0, 40)}.${String(rng.between(0, 9999)).padStart(4, '0')}`);
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    ctx.item(
      'CHAT_USAGE_DYNAMO_TABLE',
      {
        id: rng.uuid(),
        user: p.id,
        time: iso(instant(rng)),
        modelId: rng.pick(MODELS),
        inputTokens: rng.between(10, 8000),
        outputTokens: rng.between(10, 4000),
        accountId: 'general_account',
        requestId: rng.uuid(),
        details: { itemType: 'chat', conversationId: rng.uuid() },
      },
      p.id,
    );
    ctx.item(
      'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
      {
        userDate: `${p.id}#${isoDay(dayAfterOrigin(i))}`,
        accountInfo: 'general_account#NA',
        record_type: 'history',
        dailyCost: cents(),
        monthlyCost: cents(),
        hourlyCost: [cents(), cents(), cents()],
      },
      p.id,
    );
    ctx.item(
      'ADDITIONAL_CHARGES_TABLE',
      {
        id:
          i === 0 && refs.threadIds.length > 0
            ? `${refs.threadIds[0]}/${refs.codeInterpreterAssistantId}`
            : `${p.id}#codeInterpreter#${rng.uuid()}`,
        user: p.id,
        itemType: 'codeInterpreter',
        accountId: 'general_account',
        amount: cents(),
        time: iso(instant(rng)),
      },
      p.id,
    );
  }
  for (const accountInfo of ['general_account#NA', `coa-research#${refs.apiKeyId}`]) {
    ctx.item(
      'COST_CALCULATIONS_DYNAMO_TABLE',
      { id: p.id, accountInfo, record_type: 'cost', dailyCost: cents(), monthlyCost: cents(), hourlyCost: [cents(), cents()] },
      p.id,
    );
  }
}

/** ACCEPTANCE, DB_CONNECTIONS, EMAIL_SETTINGS, USER_TAGS, MEMORY, COMMON_DATA, DYNAMIC_CODE. */
export function miscRows(ctx: SeedContext, p: Person, rng: Random): void {
  ctx.item(
    'DATA_DISCLOSURE_ACCEPTANCE_TABLE',
    { user: p.id, acceptedDataDisclosure: true, acceptedTimestamp: iso(instant(rng)), documentVersion: 2, completedTraining: p.index % 2 === 0 },
    p.id,
  );
  ctx.item(
    'DB_CONNECTIONS_TABLE',
    {
      id: rng.uuid(),
      user: p.id,
      name: `${given(p.id)} warehouse`,
      type: 'postgres',
      config: { host: 'db.example.edu', port: 5432, database: 'research', ssl: true },
      createdAt: iso(instant(rng)),
    },
    p.id,
  );
  const others = p.peers.filter((x) => x !== p.id);
  ctx.item(
    'EMAIL_SETTINGS_DYNAMO_TABLE',
    { email: p.id, tag: 'default', allowedSenders: [...others, '.*@vanderbilt\\.edu'] },
    p.id,
  );
  ctx.item('USER_TAGS_DYNAMO_TABLE', { user: p.id, tags: stringSet(['teaching', 'research', `cohort-${p.index % 4}`]) }, p.id);
  for (let i = 0; i < ctx.itemsPerUser; i++) {
    // The last memory is project-scoped: memory_type_id is a project id, not the user id.
    const project = i === ctx.itemsPerUser - 1 && i > 0;
    ctx.item(
      'MEMORY_DYNAMO_TABLE',
      {
        id: rng.uuid(),
        user: p.id,
        memory_type: project ? 'project' : 'user',
        memory_type_id: project ? `proj-${rng.hex(10)}` : p.id,
        content: sentence(rng, 9),
        taxonomy_path: 'preferences/writing',
        timestamp: iso(instant(rng)),
      },
      p.id,
    );
    ctx.item(
      'COMMON_DATA_DYNAMO_TABLE',
      {
        PK: `${p.id}#todo-lists`,
        SK: `item#${i}`,
        app_id: i === 0 ? p.id : 'amplify-todo',
        entity_type: 'todo-lists',
        data: { title: sentence(rng, 4), done: i % 2 === 0, priority: i },
      },
      p.id,
    );
  }
  ctx.item(
    'DYNAMO_DYNAMIC_CODE_TABLE',
    {
      uuid: rng.uuid(),
      creator: p.id,
      mapped_by: p.index % 2 === 0 ? p.id : p.peers[0],
      code: 'def run(event):\n    return {"ok": True}\n',
      language: 'python',
      createdAt: iso(instant(rng)),
    },
    p.id,
  );
}
