/**
 * Per-user rows of the tables that hold no S3 pointer, shaped as a legacy deployment holds
 * them. Each function writes one table family for one person.
 */
import type { Random } from './random';
import { decimal, stringSet } from './plain';
import { epochSeconds, given, instant, iso, sentence, type Person, type SeedContext } from './context';

/** References that later families point at. */
export interface PersonRefs {
  fileIds: string[];
  threadIds: string[];
  codeInterpreterAssistantId: string;
  ownerApiKeyId: string;
}

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
