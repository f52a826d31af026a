/**
 * Per-user rows of the file family (FILES, HASH_FILES, EMBEDDING_PROGRESS, OBJECT_ACCESS):
 * one uploaded file per item, and one file shared with a peer.
 */
import type { Random } from './random';
import { stringSet } from './plain';
import { instant, iso, isoDay, type Person, type SeedContext } from './context';

const FILE_NAMES = ['Syllabus 2025.pdf', 'grant+budget.xlsx', 'Résumé final.docx', 'lab notes.md', 'data.csv'];
const FILE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown',
  csv: 'text/csv',
};

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
