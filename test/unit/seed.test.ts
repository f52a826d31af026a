import { buildDeployment, TABLE_KEYS, tableSchema, type BucketKey, type TableKey } from '../../src/deployment/catalogue';
import { isL, isM, isS, type AttributeValue, type Item } from '../../src/dynamo/attributeValue';
import {
  ADVERSARIAL_IDS,
  PREFIX_OUTSIDER_ID,
  createRandom,
  generateSampleDeployment,
  sanitizeUser,
  toCsv,
  type SampleDeployment,
  type SampleOptions,
} from '../../src/seed';

const OPTIONS: SampleOptions = { users: 12, itemsPerUser: 3, objectsPerUser: 3, objectBytes: 1500, seed: 7, scenario: 'A' };
const a = generateSampleDeployment(OPTIONS);
const b = generateSampleDeployment({ ...OPTIONS, scenario: 'B' });

const s = (v: AttributeValue | undefined): string => {
  if (!isS(v)) throw new Error(`expected a string attribute, got ${JSON.stringify(v)}`);
  return v.S;
};
const itemsOf = (d: SampleDeployment, table: TableKey): Item[] => d.items.filter((i) => i.table === table).map((i) => i.item);

describe('the seeded PRNG', () => {
  it('repeats for a seed and differs between seeds', () => {
    const draws = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(createRandom(seed)));
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
  });
});

describe('generateSampleDeployment', () => {
  it('is deterministic from the seed and uses neither Math.random nor the clock', () => {
    const random = jest.spyOn(Math, 'random');
    const now = jest.spyOn(Date, 'now');
    const again = generateSampleDeployment(OPTIONS);
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    random.mockRestore();
    now.mockRestore();
    expect(again).toEqual(a);
    const other = generateSampleDeployment({ ...OPTIONS, seed: 8 });
    expect(other.users.map((u) => u.newId)).not.toEqual(a.users.map((u) => u.newId));
  });

  it('includes the adversarial ids among the migrated users and a prefix-colliding outsider', () => {
    const oldIds = a.users.map((u) => u.oldId);
    expect(oldIds.slice(0, 4)).toEqual([...ADVERSARIAL_IDS]);
    expect(oldIds).toEqual(expect.arrayContaining(['bob@example.edu', 'bobby@example.edu', 'alice+test@example.edu', 'zoë@example.edu']));
    expect(a.users).toHaveLength(12);
    expect(new Set(oldIds).size).toBe(12);
    // Outsiders whose ids extend migrated ones: a prefix, then non-ASCII (then `+`, with more outsiders).
    expect(a.outsiders).toEqual([PREFIX_OUTSIDER_ID, 'zoë@example.edu.au']);
    expect(a.outsiders.some((o) => oldIds.includes(o))).toBe(false);
    for (const id of oldIds.slice(4)) expect(id).toMatch(/^[a-z]+\.[a-z]+\d*@example\.edu$/);
  });

  it('scenario B keeps every id; scenario A maps each to a distinct sub-shaped username', () => {
    expect(b.users.every((u) => u.newId === u.oldId)).toBe(true);
    expect(b.users.map((u) => u.oldId)).toEqual(a.users.map((u) => u.oldId));
    for (const u of a.users) expect(u.newId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(a.users.map((u) => u.newId)).size).toBe(a.users.length);
  });

  it('puts the migrated users (not the outsiders) in the user pool: email → sub is the CSV in scenario A', () => {
    expect(a.cognitoUsers).toEqual(a.users.map((u) => ({ username: u.newId, email: u.oldId, sub: u.newId })));
    expect(b.cognitoUsers.map((c) => [c.username, c.email])).toEqual(b.users.map((u) => [u.oldId, u.oldId]));
    expect(itemsOf(a, 'COGNITO_USERS_DYNAMODB_TABLE').map((i) => s(i.user_id))).toEqual(a.users.map((u) => u.oldId));
  });

  it('writes the CSV of the migrated population only', () => {
    const lines = toCsv(a.users).split('\n');
    expect(lines[0]).toBe('old_id,new_id');
    expect(lines[1]).toBe(`bob@example.edu,${a.users[0].newId}`);
    expect(lines).toHaveLength(a.users.length + 2);
    expect(lines[lines.length - 1]).toBe('');
    expect(toCsv(b.users)).toContain('zoë@example.edu,zoë@example.edu\n');
    for (const outsider of a.outsiders) expect(toCsv(a.users)).not.toContain(outsider);
    expect(toCsv([{ oldId: 'a,b@x.edu', newId: 'say "hi"' }])).toBe('old_id,new_id\n"a,b@x.edu","say ""hi"""\n');
  });

  it('fills every catalogue table, the old basic-ops table included', () => {
    const filled = new Set(a.items.map((i) => i.table));
    for (const key of TABLE_KEYS.filter((k) => k !== 'OLD_USER_STORAGE_TABLE')) expect([key, filled.has(key)]).toEqual([key, true]);
    expect(filled.has('OLD_USER_STORAGE_TABLE')).toBe(false);
    expect(a.oldUserStorageItems.length).toBe((a.users.length + a.outsiders.length) * OPTIONS.itemsPerUser);
    expect(a.oldUserStorageItems.every((i) => i.table === 'OLD_USER_STORAGE_TABLE' && !('itemId' in i.item))).toBe(true);
  });

  it('gives outsiders data in the per-user tables, just like migrated users', () => {
    for (const id of [...a.outsiders, ...a.users.map((u) => u.oldId)]) {
      expect(itemsOf(a, 'ACCOUNTS_DYNAMO_TABLE').some((i) => s(i.user) === id)).toBe(true);
      expect(a.objects.some((o) => o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME' && o.key.startsWith(`${id}/`))).toBe(true);
    }
  });

  it('lets outsiders reference only the migrated user their id extends, and only where another user may be named', () => {
    const migrated = new Set(a.users.map((u) => u.oldId));
    const tokens = (text: string) => text.split(/[/#]/).map((t) => t.replace(/^shared-with-/, ''));
    const strings = (v: AttributeValue): string[] => {
      if ('S' in v) return [v.S];
      if ('SS' in v) return v.SS;
      if ('L' in v) return v.L.flatMap(strings);
      if ('M' in v) return Object.entries(v.M).flatMap(([k, x]) => [k, ...strings(x)]);
      return [];
    };
    const owned = [...a.items, ...a.oldUserStorageItems].filter((i) => i.owner && a.outsiders.includes(i.owner));
    expect(owned.length).toBeGreaterThan(100);
    const named = new Map<string, Set<string>>();
    const where = new Set<string>();
    for (const { table, item, owner } of owned) {
      for (const [attribute, value] of Object.entries(item)) {
        const hits = strings(value).flatMap(tokens).filter((t) => migrated.has(t));
        if (hits.length === 0) continue;
        where.add(`${table}.${attribute}`);
        for (const hit of hits) named.set(owner!, (named.get(owner!) ?? new Set()).add(hit));
      }
    }
    // Each outsider names exactly the migrated user whose id his extends…
    expect(Object.fromEntries([...named].map(([o, ids]) => [o, [...ids]]))).toEqual({
      [PREFIX_OUTSIDER_ID]: ['bob@example.edu'],
      'zoë@example.edu.au': ['zoë@example.edu'],
    });
    // …in the attributes where a user names another, never in his own keys.
    expect([...where].sort()).toEqual([
      'API_KEYS_DYNAMODB_TABLE.delegate',
      'ARTIFACTS_DYNAMODB_TABLE.artifacts',
      'ASSISTANT_LOOKUP_DYNAMODB_TABLE.accessTo',
      'DYNAMO_DYNAMIC_CODE_TABLE.mapped_by',
      'EMAIL_SETTINGS_DYNAMO_TABLE.allowedSenders',
      'FILES_DYNAMO_TABLE.updatedBy',
      'OBJECT_ACCESS_DYNAMODB_TABLE.principal_id',
      'SHARES_DYNAMODB_TABLE.data',
      'USER_DATA_STORAGE_TABLE.SK',
      'USER_DATA_STORAGE_TABLE.itemId',
    ]);
    // Share objects sent to an outsider by a migrated user name him in the key.
    const objects = a.objects.filter((o) => o.owner && a.outsiders.includes(o.owner));
    for (const o of objects) {
      const hits = tokens(o.key).filter((t) => migrated.has(t));
      expect([o.key, hits.length === 0 || o.bucket === 'S3_SHARE_BUCKET_NAME']).toEqual([o.key, true]);
    }
    // …while migrated users do name outsiders, which a migration must leave alone.
    const bobShares = itemsOf(a, 'SHARES_DYNAMODB_TABLE').find((i) => s(i.user) === 'bob@example.edu')!;
    expect(JSON.stringify(bobShares.data)).toContain(`"bob@example.edu/${PREFIX_OUTSIDER_ID}/`);
  });

  it('has unique primary keys per table and the declared types on every key and GSI key attribute', () => {
    for (const table of TABLE_KEYS) {
      const schema = tableSchema(table);
      const items = table === 'OLD_USER_STORAGE_TABLE' ? a.oldUserStorageItems : a.items.filter((i) => i.table === table);
      const keys = items.map(({ item }) => JSON.stringify([item[schema.hash.name], schema.range ? item[schema.range.name] : null]));
      expect([table, new Set(keys).size]).toEqual([table, keys.length]);
      for (const { item } of items) {
        for (const attr of [schema.hash, schema.range]) if (attr) expect([table, attr.name, attr.type in item[attr.name]]).toEqual([table, attr.name, true]);
        for (const index of schema.indexes) {
          for (const attr of [index.hash, index.range]) {
            if (attr && item[attr.name]) expect([table, index.name, attr.type in item[attr.name]]).toEqual([table, index.name, true]);
          }
        }
      }
    }
  });

  it('shapes composite keys and nested structures as the legacy spec records them', () => {
    const bob = 'bob@example.edu';
    const ofBob = (table: TableKey, attr: string) => itemsOf(a, table).filter((i) => s(i[attr]).startsWith(bob));
    expect(itemsOf(a, 'ASSISTANT_THREADS_DYNAMODB_TABLE').filter((i) => s(i.user) === bob).map((i) => s(i.id))).toEqual(
      Array(3).fill(expect.stringMatching(/^bob@example\.edu\/thr\/[0-9a-f-]{36}$/)),
    );
    const run = itemsOf(a, 'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE').find((i) => s(i.user) === bob)!;
    expect(s(run.id)).toMatch(/^bob@example\.edu\/run\//);
    expect(s(run.assistant_key)).toMatch(/^bob@example\.edu\/ast\//);
    expect(s(run.thread_key)).toMatch(/^bob@example\.edu\/thr\//);
    expect(ofBob('HISTORY_COST_CALCULATIONS_DYNAMO_TABLE', 'userDate').map((i) => s(i.userDate))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bob@example\.edu#\d{4}-\d{2}-\d{2}$/)]),
    );
    // begins_with(userDate, 'bob@example.edu') also finds the outsider bob@example.edu.au.
    expect(ofBob('HISTORY_COST_CALCULATIONS_DYNAMO_TABLE', 'userDate').some((i) => s(i.userDate).startsWith(`${PREFIX_OUTSIDER_ID}#`))).toBe(true);
    expect(ofBob('OAUTH_USER_TABLE', 'user_integration').map((i) => s(i.user_integration))).toContain('bob@example.edu/google_drive');
    const groups = itemsOf(a, 'ASSISTANT_GROUPS_DYNAMO_TABLE');
    expect(groups.some((g) => isM(g.members) && bob in g.members.M)).toBe(true);
    const admins = itemsOf(a, 'AMPLIFY_ADMIN_DYNAMODB_TABLE').find((i) => s(i.config_id) === 'admins')!;
    expect(isL(admins.data) && admins.data.L.map(s)).toEqual(expect.arrayContaining([bob]));
    const bobEmail = itemsOf(a, 'EMAIL_SETTINGS_DYNAMO_TABLE').find((i) => s(i.email) === bob)!;
    expect(isL(bobEmail.allowedSenders) && bobEmail.allowedSenders.L.map(s)).toEqual(expect.arrayContaining(['bobby@example.edu', PREFIX_OUTSIDER_ID]));
    const files = itemsOf(a, 'FILES_DYNAMO_TABLE').filter((i) => s(i.createdBy) === bob);
    expect(files[0].tags).toEqual({ SS: ['course', 'week-1'] });
    expect(files.map((f) => s(f.id))).toEqual(Array(3).fill(expect.stringMatching(/^bob@example\.edu\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}\.json$/)));
    const uds = itemsOf(a, 'USER_DATA_STORAGE_TABLE');
    // The service sanitises the user part of the hash key: alice+test → alice-test, zoë → zo-.
    expect(uds.some((i) => s(i.PK).startsWith('alice-test@example.edu#'))).toBe(true);
    expect(uds.some((i) => s(i.PK).startsWith('zo-@example.edu#'))).toBe(true);
    expect(uds.some((i) => s(i.PK) === `${a.users[0].newId}#bob-example-edu-amplify-workflows#workflow-templates`)).toBe(true);
    expect(uds.some((i) => s(i.PK) === `${a.users[2].newId}#alice-test-example-edu-amplify-user-settings#user-settings`)).toBe(true);
  });

  it('includes object keys with spaces, + and non-ASCII characters', () => {
    const keys = a.objects.map((o) => o.key);
    expect(keys.some((k) => k.includes(' '))).toBe(true);
    expect(keys.some((k) => k.startsWith('alice+test@example.edu/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('zoë@example.edu/'))).toBe(true);
    expect(keys.some((k) => /FN-plot\+chart\.png$/.test(k))).toBe(true);
    expect(keys).toEqual(expect.arrayContaining(['templates/Modèle officiel.pptx', 'API Documentation/Amplify API.pdf']));
  });

  it('sizes the bulk objects as asked and keeps JSON bodies JSON', () => {
    const conversations = a.objects.filter((o) => o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME');
    for (const o of conversations) expect(Buffer.byteLength(o.body as string)).toBe(OPTIONS.objectBytes);
    for (const o of a.objects.filter((x) => x.contentType === 'application/json')) expect(() => JSON.parse(o.body as string)).not.toThrow();
  });

  it('points every pointer attribute at an object (or USER_DATA_STORAGE item) it generated', () => {
    const names = buildDeployment(a.deployment);
    const objectKeys = new Set(a.objects.map((o) => `${o.bucket}|${o.key}`));
    const udsKeys = new Set(itemsOf(a, 'USER_DATA_STORAGE_TABLE').map((i) => `${s(i.PK)}|${s(i.SK)}`));
    const checked: Record<string, number> = {};
    const expectObject = (kind: string, bucket: BucketKey, key: string) => {
      expect([kind, key, objectKeys.has(`${bucket}|${key}`)]).toEqual([kind, key, true]);
      checked[kind] = (checked[kind] ?? 0) + 1;
    };
    const expectUds = (kind: string, pk: string, sk: string) => {
      expect([kind, pk, sk, udsKeys.has(`${pk}|${sk}`)]).toEqual([kind, pk, sk, true]);
      checked[kind] = (checked[kind] ?? 0) + 1;
    };
    const unwrap = (v: AttributeValue): string => (isM(v) && v.M.S ? unwrap(v.M.S) : s(v));
    const list = (v: AttributeValue | undefined) => (isL(v) ? v.L.map((x) => (isM(x) ? x.M : {})) : []);

    for (const i of itemsOf(a, 'CONVERSATION_METADATA_TABLE')) expectObject('conversation s3_key', 'S3_CONVERSATIONS_BUCKET_NAME', s(i.s3_key));
    for (const i of itemsOf(a, 'AGENT_STATE_DYNAMODB_TABLE')) {
      const memory = isM(i.memory) ? i.memory.M : {};
      expect(unwrap(memory.bucket)).toBe(names.buckets.AGENT_STATE_BUCKET);
      expectObject('agent-state memory.key', 'AGENT_STATE_BUCKET', unwrap(memory.key));
    }
    for (const i of itemsOf(a, 'ARTIFACTS_DYNAMODB_TABLE')) {
      for (const entry of list(i.artifacts)) {
        const key = s(entry.key);
        if (/^\d{8}\//.test(key)) expectUds('migrated artifact', `${sanitizeUser(s(i.user_id))}#amplify-artifacts#artifact-content`, key);
        else expectObject('artifact key', 'S3_ARTIFACTS_BUCKET', key);
      }
    }
    for (const i of itemsOf(a, 'WORKFLOW_TEMPLATES_TABLE')) {
      if (i.s3Key) expectObject('workflow s3Key', 'WORKFLOW_TEMPLATES_BUCKET', s(i.s3Key));
      else expectUds('migrated workflow', `${sanitizeUser(s(i.user))}#amplify-workflows#workflow-templates`, s(i.templateId));
    }
    for (const i of itemsOf(a, 'SCHEDULED_TASKS_TABLE')) {
      for (const log of list(i.logs)) if (log.detailsKey) expectObject('task log detailsKey', 'SCHEDULED_TASKS_LOGS_BUCKET', s(log.detailsKey));
    }
    for (const i of itemsOf(a, 'SHARES_DYNAMODB_TABLE')) for (const entry of list(i.data)) expectObject('shares data[].key', 'S3_SHARE_BUCKET_NAME', s(entry.key));
    for (const i of itemsOf(a, 'USER_DATA_STORAGE_TABLE')) {
      if (s(i.entityType) === 'received') expectObject('received share data.key', 'S3_SHARE_BUCKET_NAME', s((i.data as { M: Item }).M.key));
    }
    const groupPrefix = `s3://${names.buckets.S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME}/`;
    for (const i of itemsOf(a, 'GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE')) {
      const location = s(i.s3Location);
      expect(location.startsWith(groupPrefix)).toBe(true);
      expectObject('group conversation s3Location', 'S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME', location.slice(groupPrefix.length));
    }
    const disclosurePrefix = `s3://${names.buckets.DATA_DISCLOSURE_STORAGE_BUCKET}/`;
    for (const i of itemsOf(a, 'DATA_DISCLOSURE_VERSIONS_TABLE')) {
      expect(s(i.s3_reference)).toBe(disclosurePrefix + s(i.pdf_id));
      expectObject('data disclosure pdf_id', 'DATA_DISCLOSURE_STORAGE_BUCKET', s(i.pdf_id));
    }
    const people = a.users.length + a.outsiders.length;
    expect(checked).toEqual({
      'conversation s3_key': people * 3,
      'agent-state memory.key': people * 3,
      'artifact key': people * 4,
      'migrated artifact': Math.ceil(people / 3),
      'workflow s3Key': people * 3,
      'migrated workflow': Math.ceil(people / 2),
      'task log detailsKey': people * 3,
      'shares data[].key': people * 3,
      'received share data.key': people,
      'group conversation s3Location': a.users.length * 3,
      'data disclosure pdf_id': 2,
    });
  });

  it('names the buckets of the deployment it was generated for', () => {
    const d = generateSampleDeployment({ ...OPTIONS, users: 2, deployment: { depName: 'demo', stage: 'qa' } });
    expect(d.deployment).toEqual({ depName: 'demo', stage: 'qa' });
    const location = s(itemsOf(d, 'GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE')[0].s3Location);
    expect(location.startsWith('s3://amplify-demo-assistants-qa-group-conversations-content/astgp/')).toBe(true);
  });

  it('scales with the size options and rejects bad ones', () => {
    const small = generateSampleDeployment({ ...OPTIONS, users: 2, itemsPerUser: 1, objectsPerUser: 0 });
    expect(small.users.map((u) => u.oldId)).toEqual(['bob@example.edu', 'bobby@example.edu']);
    expect(small.objects.filter((o) => o.owner !== undefined && o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME')).toEqual([]);
    expect(itemsOf(small, 'CHAT_USAGE_DYNAMO_TABLE')).toHaveLength(3);
    expect(() => generateSampleDeployment({ ...OPTIONS, users: -1 })).toThrow(RangeError);
    expect(() => generateSampleDeployment({ ...OPTIONS, scenario: 'C' as never })).toThrow(RangeError);
  });
});

describe('stability across population sizes', () => {
  it('gives a user the same new id however many users are generated', () => {
    const few = generateSampleDeployment({ ...OPTIONS, users: 5 });
    expect(few.users).toEqual(a.users.slice(0, 5));
  });
});
