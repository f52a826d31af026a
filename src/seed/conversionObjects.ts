/**
 * Per-user legacy objects the migration converts into USER_DATA_STORAGE items (artifacts,
 * workflow templates, scheduled-task logs, shares), the rows that point at them, and the
 * items the new service already stored for each family. Every pointer written here names an
 * object written here.
 */
import type { Random } from './random';
import type { PlainMap } from './plain';
import { compactDay, instant, iso, isoDay, jsonBody, JSON_TYPE, sentence, type Person, type SeedContext } from './context';
import { storageItem, userSettings } from './userStorage';

const ARTIFACT_NAMES = ['Game Plan', 'Résumé draft', 'Budget+Forecast', 'chart'];

export function artifactObjects(ctx: SeedContext, p: Person, rng: Random): void {
  const entries: PlainMap[] = [];
  const content = (name: string, version: number) => ({
    name,
    version,
    type: 'code',
    description: sentence(rng, 6),
    contents: [{ type: 'text', text: sentence(rng, 14) }],
    tags: ['demo'],
  });
  const legacy = (owner: string, name: string, sharedBy?: string) => {
    const at = instant(rng);
    const key = `${owner}/${compactDay(at)}/${name}:v1`;
    ctx.object({ bucket: 'S3_ARTIFACTS_BUCKET', key, body: JSON.stringify(content(name, 1)), contentType: JSON_TYPE, owner: p.id });
    entries.push({
      key,
      artifactId: `${name}:v1`,
      name,
      type: 'code',
      description: sentence(rng, 5),
      createdAt: iso(at),
      tags: ['demo'],
      ...(sharedBy ? { sharedBy } : {}),
    });
  };
  for (let i = 0; i < ctx.objectsPerUser; i++) legacy(p.id, `${ARTIFACT_NAMES[i % ARTIFACT_NAMES.length]} ${i + 1}`);
  // A copy shared with this user by a peer, stored under the recipient's key (legacy sharing).
  if (ctx.objectsPerUser > 0 && p.peers[0] !== p.id) legacy(p.id, 'Shared outline', p.peers[0]);
  // An artifact the new service already stores in USER_DATA_STORAGE (key `YYYYMMDD/name:vN`).
  if (p.index % 3 === 0) {
    const at = instant(rng);
    const key = `${compactDay(at)}/Migrated notes:v2`;
    entries.push({ key, artifactId: 'Migrated notes:v2', name: 'Migrated notes', type: 'text', description: 'already migrated', createdAt: iso(at), tags: [] });
    storageItem(ctx, rng, p, 'amplify-artifacts', 'artifact-content', key, content('Migrated notes', 2));
    if (p.peers[0] !== p.id) {
      storageItem(ctx, rng, p, 'amplify-artifacts', 'artifact-content', `shared-with-${p.peers[0]}#${key}`, content('Migrated notes', 2));
    }
  }
  if (entries.length === 0) return;
  ctx.item(
    'ARTIFACTS_DYNAMODB_TABLE',
    { user_id: p.id, artifacts: entries, createdAt: iso(instant(rng)), lastAccessed: iso(instant(rng)) },
    p.id,
  );
}

export function workflowTemplateObjects(ctx: SeedContext, p: Person, rng: Random): void {
  const template = (templateId: string, withPythonDict: boolean) => ({
    templateId,
    name: `${sentence(rng, 2).slice(0, -1)} workflow`,
    description: sentence(rng, 8),
    steps: [
      { tool: 'searchLibrary', instructions: sentence(rng, 6), args: { limit: 5 } },
      // The legacy repairs list strings that look like Python dicts.
      ...(withPythonDict ? ["{'tool': 'sendEmail', 'args': {'to': 'advisor'}}"] : []),
    ],
    inputSchema: { type: 'object', properties: { topic: { type: 'string' } } },
  });
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const templateId = rng.uuid();
    const s3Key = `${p.id}/${templateId}.json`;
    ctx.object({
      bucket: 'WORKFLOW_TEMPLATES_BUCKET',
      key: s3Key,
      body: JSON.stringify(template(templateId, i === 0)),
      contentType: JSON_TYPE,
      owner: p.id,
    });
    ctx.item(
      'WORKFLOW_TEMPLATES_TABLE',
      { user: p.id, templateId, s3Key, isPublic: i % 2, name: `template ${i + 1}`, description: sentence(rng, 5), createdAt: iso(instant(rng)) },
      p.id,
    );
  }
  // A template the new service already stores in USER_DATA_STORAGE: the row has no s3Key.
  if (p.index % 2 === 0) {
    const templateId = rng.uuid();
    ctx.item(
      'WORKFLOW_TEMPLATES_TABLE',
      { user: p.id, templateId, isPublic: 0, name: 'migrated template', description: sentence(rng, 5), createdAt: iso(instant(rng)) },
      p.id,
    );
    storageItem(ctx, rng, p, 'amplify-workflows', 'workflow-templates', templateId, template(templateId, false));
  }
}

export function scheduledTaskObjects(ctx: SeedContext, p: Person, rng: Random): void {
  if (ctx.objectsPerUser === 0) return;
  const taskId = rng.uuid();
  const logs: PlainMap[] = [];
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const executionId = rng.uuid();
    const detailsKey = `${p.id}/${taskId}/logs/${executionId}.json`;
    const at = iso(instant(rng));
    ctx.object({
      bucket: 'SCHEDULED_TASKS_LOGS_BUCKET',
      key: detailsKey,
      contentType: JSON_TYPE,
      owner: p.id,
      body: JSON.stringify({ executionId, executedAt: at, result: sentence(rng, 20), messages: [{ role: 'assistant', content: sentence(rng, 16) }] }),
    });
    logs.push({ executionId, executedAt: at, status: 'success', source: 'scheduled', detailsKey });
  }
  // An entry written without details (a skipped run): no detailsKey.
  logs.push({ executionId: rng.uuid(), executedAt: iso(instant(rng)), status: 'skipped', source: 'scheduled' });
  ctx.item(
    'SCHEDULED_TASKS_TABLE',
    {
      user: p.id,
      taskId,
      taskName: 'Weekly digest',
      description: sentence(rng, 6),
      cronExpression: '0 9 * * 1',
      active: 'true',
      taskType: 'assistant',
      objectInfo: { objectId: `astp/${rng.hex(16)}`, objectName: 'Digest assistant' },
      logs,
      createdAt: iso(instant(rng)),
    },
    p.id,
  );
}

/**
 * The user's legacy shares record (shares received by the user, SHARES_DYNAMODB_TABLE) and
 * its share objects `{recipient}/{sharer}/{date}/{uuid}.json`, plus one share the new service
 * already recorded in USER_DATA_STORAGE with a legacy-form key.
 */
export function shareObjects(ctx: SeedContext, p: Person, rng: Random, withSettings: boolean): void {
  const shareObject = (sharer: string) => {
    const at = instant(rng);
    const key = `${p.id}/${sharer}/${isoDay(at)}/${rng.uuid()}.json`;
    const note = sentence(rng, 5);
    ctx.object({
      bucket: 'S3_SHARE_BUCKET_NAME',
      key,
      contentType: JSON_TYPE,
      owner: p.id,
      body: jsonBody(
        rng,
        {
          version: 1,
          sharedBy: sharer,
          sharedAt: at.getTime(),
          note,
          sharedData: { version: 4, history: [{ id: rng.uuid(), name: sentence(rng, 3), messages: [] }], folders: [], prompts: [] },
        },
        ctx.objectBytes,
      ),
    });
    return { sharedBy: sharer, sharedAt: at.getTime(), note, key, at };
  };
  const entries = [];
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const { at: _at, ...entry } = shareObject(p.peers[i % p.peers.length]);
    entries.push(entry);
  }
  if (entries.length > 0 || withSettings) {
    ctx.item(
      'SHARES_DYNAMODB_TABLE',
      {
        id: `${p.id}/${rng.uuid()}`,
        user: p.id,
        name: '/state/share',
        data: entries,
        settings: withSettings ? userSettings(rng) : undefined,
        createdAt: iso(instant(rng)),
        updatedAt: iso(instant(rng)),
      },
      p.id,
    );
  }
  if (ctx.objectsPerUser > 0) {
    const { at, ...data } = shareObject(p.peers[p.peers.length - 1]);
    const sk = `${data.sharedBy}#${isoDay(at)}#${rng.uuid()}`;
    storageItem(ctx, rng, p, 'amplify-shares', 'received', sk, data);
  }
}
