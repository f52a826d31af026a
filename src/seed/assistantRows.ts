/**
 * Per-user rows of the assistant family: assistants with their aliases, lookup paths, layered
 * assistants and access rows, and the assistant threads with their runs.
 */
import { tableSchema, type TableKey } from '../deployment/catalogue';
import type { Random } from './random';
import { given, instant, iso, sentence, type Person, type SeedContext } from './context';

/**
 * A number stored in an attribute some GSI keys on: written with the type the catalogue
 * declares for that key, since DynamoDB rejects an item whose index key has another type.
 */
function indexKeyNumber(table: TableKey, attribute: string, value: number): string | number {
  const declared = tableSchema(table).indexes.flatMap((i) => [i.hash, i.range]).find((a) => a?.name === attribute);
  return declared?.type === 'S' ? String(value) : value;
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
