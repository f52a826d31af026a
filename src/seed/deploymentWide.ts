/**
 * Deployment-wide data: admin configs and groups that list users, data disclosure, API
 * documentation, conversion buckets, and the four tables the migration never touches.
 */
import type { Random } from './random';
import { epochSeconds, instant, iso, sentence, textBody, type Person, type SeedContext } from './context';

const GROUP_NAMES = ['Engineering', 'Research Computing', 'Writing Center', 'Biology Lab', 'Library'];

export function adminConfigs(ctx: SeedContext, people: readonly Person[], rng: Random): void {
  const ids = people.map((p) => p.id);
  const some = (from: number, count: number) => ids.slice(from, from + count);
  const lastUpdated = iso(instant(rng));
  ctx.item('AMPLIFY_ADMIN_DYNAMODB_TABLE', { config_id: 'admins', data: [...new Set([...some(0, 2), ...ids.slice(-1)])], last_updated: lastUpdated });
  const groups: Record<string, { groupName: string; members: string[]; createdBy: string; includeFeatureFlags: boolean; rateLimit: { period: string; rate: null }; isBillingGroup: boolean }> = {};
  ['Faculty', 'Staff'].forEach((groupName, g) => {
    groups[groupName] = {
      groupName,
      members: ids.filter((_, i) => i % 2 === g),
      createdBy: ids[g % ids.length],
      includeFeatureFlags: true,
      rateLimit: { period: 'Unlimited', rate: null },
      isBillingGroup: g === 0,
    };
  });
  ctx.item('AMPLIFY_ADMIN_DYNAMODB_TABLE', { config_id: 'amplifyGroups', data: groups, last_updated: lastUpdated });
  ctx.item('AMPLIFY_ADMIN_DYNAMODB_TABLE', {
    config_id: 'featureFlags',
    data: {
      assistantPathPublishing: { enabled: false, userExceptions: some(1, 3), amplifyGroupExceptions: ['Faculty'] },
      artifacts: { enabled: true, userExceptions: [], amplifyGroupExceptions: [] },
      agentTools: { enabled: false, userExceptions: ids.slice(-2), amplifyGroupExceptions: [] },
    },
    last_updated: lastUpdated,
  });
  // A config the legacy never rewrites.
  ctx.item('AMPLIFY_ADMIN_DYNAMODB_TABLE', { config_id: 'rateLimit', data: { period: 'Unlimited', rate: null }, last_updated: lastUpdated });
}

/** Assistant groups (object-access amplify-groups) with member maps; returns the group assistants' ids. */
export function assistantGroups(ctx: SeedContext, people: readonly Person[], rng: Random): string[] {
  const count = Math.max(1, Math.ceil(people.length / 5));
  const assistantIds: string[] = [];
  for (let g = 0; g < count; g++) {
    const groupName = GROUP_NAMES[g % GROUP_NAMES.length] + (g >= GROUP_NAMES.length ? ` ${g}` : '');
    const groupId = `${groupName.replace(/\s+/g, '_')}_${rng.uuid()}`;
    const memberIds = people.filter((_, i) => i % count === g || i < 2).map((p) => p.id);
    const members: Record<string, string> = {};
    memberIds.forEach((id, i) => (members[id] = i === 0 ? 'admin' : i % 2 ? 'write' : 'read'));
    const assistantId = `astgp/${rng.uuid()}`;
    assistantIds.push(assistantId);
    ctx.item('ASSISTANT_GROUPS_DYNAMO_TABLE', {
      group_id: groupId,
      groupName,
      createdBy: memberIds[0],
      members,
      assistants: [{ id: assistantId, assistantId, name: `${groupName} assistant` }],
      systemUsers: [],
      isPublic: false,
      amplifyGroups: [],
      supportConvAnalysis: true,
    });
    // A group API key: its owner is the group id, never a user.
    ctx.item('API_KEYS_DYNAMODB_TABLE', {
      api_owner_id: `${groupId}/systemKey/${rng.uuid()}`,
      owner: groupId,
      delegate: null,
      apiKey: `amp-${rng.hex(32)}`,
      account: { id: 'general_account', name: 'General Account' },
      systemId: `${groupId}-system`,
      active: true,
      applicationName: `${groupName} integration`,
      accessTypes: ['chat'],
      rateLimit: { period: 'Unlimited', rate: null },
      createdAt: iso(instant(rng)),
      lastAccessed: iso(instant(rng)),
    });
  }
  return assistantIds;
}

/** Versions table rows pointing at PDFs in the legacy storage bucket (`s3_reference`, `pdf_id`). */
export function dataDisclosure(ctx: SeedContext, rng: Random): void {
  const bucket = ctx.names.buckets.DATA_DISCLOSURE_STORAGE_BUCKET;
  ['data_disclosure_v1.pdf', 'Data Disclosure v2 – révisé.pdf'].forEach((pdfId, i) => {
    ctx.object({ bucket: 'DATA_DISCLOSURE_STORAGE_BUCKET', key: pdfId, body: pdf(rng, ctx.objectBytes), contentType: 'application/pdf' });
    ctx.item('DATA_DISCLOSURE_VERSIONS_TABLE', {
      key: 'data-disclosure',
      version: i + 1,
      pdf_id: pdfId,
      s3_reference: `s3://${bucket}/${pdfId}`,
      html_content: `<h1>Data disclosure v${i + 1}</h1><p>${sentence(rng, 12)}</p>`,
      timestamp: iso(instant(rng)),
    });
  });
}

function pdf(rng: Random, bytes: number): Uint8Array {
  const head = new TextEncoder().encode('%PDF-1.7\n');
  const out = new Uint8Array(Math.max(bytes, head.length));
  out.set(head);
  out.set(rng.bytes(out.length - head.length), head.length);
  return out;
}

export function apiDocumentation(ctx: SeedContext, rng: Random): void {
  ctx.object({ bucket: 'S3_API_DOCUMENTATION_BUCKET', key: 'Amplify_API_Templates.zip', body: rng.bytes(ctx.objectBytes), contentType: 'application/zip' });
  ctx.object({ bucket: 'S3_API_DOCUMENTATION_BUCKET', key: 'API Documentation/Amplify API.pdf', body: pdf(rng, ctx.objectBytes), contentType: 'application/pdf' });
  ctx.object({
    bucket: 'S3_API_DOCUMENTATION_BUCKET',
    key: 'api_documentation.json',
    body: JSON.stringify({ version: '1.0', endpoints: [{ path: '/chat', method: 'POST', description: sentence(rng, 6) }] }),
    contentType: 'application/json',
  });
}

/** Templates (`templates/…`, moved to powerPointTemplates/) and other files (only emptied). */
export function conversionBuckets(ctx: SeedContext, people: readonly Person[], rng: Random): void {
  const pptx = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  // A folder marker, which the template migration ignores.
  ctx.object({ bucket: 'S3_CONVERSION_OUTPUT_BUCKET_NAME', key: 'templates/', body: '', contentType: 'application/x-directory' });
  for (const name of ['Vanderbilt Template.pptx', 'Research+Lab 2024.pptx', 'Modèle officiel.pptx']) {
    ctx.object({
      bucket: 'S3_CONVERSION_OUTPUT_BUCKET_NAME',
      key: `templates/${name}`,
      body: rng.bytes(ctx.objectBytes),
      contentType: pptx,
      metadata: { 'uploaded-by': 'admin' },
    });
  }
  for (const p of people.slice(0, 2)) {
    const job = rng.uuid();
    ctx.object({ bucket: 'S3_CONVERSION_OUTPUT_BUCKET_NAME', key: `${p.id}/${job}/slides.pptx`, body: rng.bytes(ctx.objectBytes), contentType: pptx, owner: p.id });
    ctx.object({
      bucket: 'S3_CONVERSION_INPUT_BUCKET_NAME',
      key: `${p.id}/${job}/outline.md`,
      body: textBody(rng, `# ${sentence(rng, 4)}`, ctx.objectBytes),
      contentType: 'text/markdown',
      owner: p.id,
    });
  }
}

/** A few rows in each table the migration never touches (they must stay as written). */
export function neverMigratedRows(ctx: SeedContext, people: readonly Person[], rng: Random): void {
  for (const p of people.slice(0, 3)) {
    const at = instant(rng);
    ctx.item('AMPLIFY_ADMIN_LOGS_DYNAMODB_TABLE', { log_id: rng.uuid(), user: p.id, action: 'updateConfig', config_id: 'featureFlags', timestamp: iso(at) }, p.id);
    ctx.item('AMPLIFY_GROUP_LOGS_DYNAMODB_TABLE', { log_id: rng.uuid(), user: p.id, group_id: `Engineering_${rng.uuid()}`, action: 'addMember', timestamp: iso(at) }, p.id);
    ctx.item('OP_LOG_DYNAMO_TABLE', { user: p.id, timestamp: iso(at), op: 'searchLibrary', args: { query: sentence(rng, 3) } }, p.id);
    ctx.item('REQUEST_STATE_DYNAMO_TABLE', { user: p.id, requestId: rng.uuid(), state: 'done', ttl: epochSeconds(at) }, p.id);
  }
}
