/**
 * Per-user legacy S3 objects, in the bucket layouts a legacy deployment uses, and the rows
 * that point at them. Every pointer written here names an object written here.
 */
import type { Random } from './random';
import { instant, iso, jsonBody, JSON_TYPE, sentence, textBody, type Person, type SeedContext } from './context';

/** Code-interpreter output names: spaces, `+` and non-ASCII are all legal in S3 keys. */
const CODE_FILE_NAMES = ['sales report 2024.csv', 'plot+chart.png', 'données résumé.json', 'notes.txt'];

export function conversationObjects(ctx: SeedContext, p: Person, rng: Random): void {
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const conversationId = rng.uuid();
    const key = `${p.id}/${conversationId}`;
    const at = instant(rng);
    const name = `${sentence(rng, 3).slice(0, -1)} ${i + 1}`;
    ctx.object({
      bucket: 'S3_CONVERSATIONS_BUCKET_NAME',
      key,
      contentType: JSON_TYPE,
      owner: p.id,
      body: jsonBody(
        rng,
        {
          id: conversationId,
          name,
          model: { id: 'gpt-4o' },
          messages: [
            { role: 'user', content: sentence(rng, 12), id: rng.uuid() },
            { role: 'assistant', content: sentence(rng, 20), id: rng.uuid() },
          ],
          folderId: null,
          tags: [],
        },
        ctx.objectBytes,
      ),
    });
    ctx.item(
      'CONVERSATION_METADATA_TABLE',
      {
        user_id: p.id,
        conversation_id: conversationId,
        s3_key: key,
        name,
        model: 'gpt-4o',
        last_modified: iso(at),
        createdAt: iso(at),
        tags: ['class'],
        folderId: i === 0 ? null : `folder-${rng.hex(8)}`,
        isLocal: false,
        messageCount: 2,
      },
      p.id,
    );
  }
}

/** Returns the code-interpreter assistant id (`{user}/ast/{uuid}`), which thread runs reference. */
export function codeInterpreterObjects(ctx: SeedContext, p: Person, rng: Random): string {
  const id = `${p.id}/ast/${rng.uuid()}`;
  ctx.item(
    'ASSISTANT_CODE_INTERPRETER_DYNAMODB_TABLE',
    {
      id,
      user: p.id,
      assistantId: `asst_${rng.hex(24)}`,
      name: 'Data analyst',
      instructions: sentence(rng, 12),
      createdAt: iso(instant(rng)),
    },
    p.id,
  );
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const fileName = CODE_FILE_NAMES[i % CODE_FILE_NAMES.length];
    const key = `${p.id}/msg_${rng.hex(12)}-file-${rng.hex(12)}-FN-${fileName}`;
    const extension = fileName.split('.').pop();
    const body =
      extension === 'png'
        ? rng.bytes(ctx.objectBytes)
        : extension === 'json'
          ? jsonBody(rng, { rows: [{ région: 'nord', total: 12 }] }, ctx.objectBytes)
          : textBody(rng, extension === 'csv' ? 'region,total\nnorth,12' : sentence(rng, 8), ctx.objectBytes);
    const contentType =
      extension === 'png' ? 'image/png' : extension === 'json' ? JSON_TYPE : extension === 'csv' ? 'text/csv' : 'text/plain';
    ctx.object({ bucket: 'ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME', key, body, contentType, owner: p.id });
  }
  return id;
}

export function agentStateObjects(ctx: SeedContext, p: Person, rng: Random): void {
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const sessionId = rng.uuid();
    const stateKey = `${p.id}/${sessionId}/agent_state.json`;
    ctx.object({
      bucket: 'AGENT_STATE_BUCKET',
      key: stateKey,
      contentType: JSON_TYPE,
      owner: p.id,
      body: jsonBody(rng, { sessionId, status: 'completed', steps: [{ tool: 'search', result: sentence(rng, 10) }] }, ctx.objectBytes),
    });
    ctx.object({
      bucket: 'AGENT_STATE_BUCKET',
      key: `${p.id}/${sessionId}/index.json`,
      contentType: JSON_TYPE,
      owner: p.id,
      body: JSON.stringify({ sessionId, files: { 'agent_state.json': stateKey } }),
    });
    const bucket = ctx.names.buckets.AGENT_STATE_BUCKET;
    // The first session of the first user carries leftover type descriptors ({"S": …}),
    // which the legacy unwraps.
    const memory =
      p.index === 0 && i === 0 ? { bucket: { S: bucket }, key: { S: { S: stateKey } } } : { bucket, key: stateKey };
    ctx.item(
      'AGENT_STATE_DYNAMODB_TABLE',
      { user: p.id, sessionId, memory, status: 'completed', createdAt: iso(instant(rng)), stepCount: 1 },
      p.id,
    );
  }
}

export function groupConversationObjects(ctx: SeedContext, p: Person, rng: Random, groupAssistantIds: readonly string[]): void {
  if (groupAssistantIds.length === 0) return;
  for (let i = 0; i < ctx.objectsPerUser; i++) {
    const assistantId = groupAssistantIds[(p.index + i) % groupAssistantIds.length];
    const conversationId = rng.uuid();
    const key = `${assistantId}/${conversationId}.txt`;
    ctx.object({
      bucket: 'S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME',
      key,
      contentType: 'text/plain',
      owner: p.id,
      body: textBody(rng, `user: ${sentence(rng, 8)}\nassistant: ${sentence(rng, 16)}`, ctx.objectBytes),
    });
    ctx.item(
      'GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE',
      {
        conversationId,
        assistantId,
        user: p.id,
        s3Location: `s3://${ctx.names.buckets.S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME}/${key}`,
        modelUsed: 'gpt-4o',
        timestamp: iso(instant(rng)),
        employeeType: p.index % 2 === 0 ? 'faculty' : 'student',
        numberPrompts: 1,
      },
      p.id,
    );
  }
}