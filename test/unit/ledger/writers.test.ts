/**
 * The writers' side of the ledger (issue 12): write-ahead dedupe, the S3 copies' intents and
 * their settling entries, and a copy that found its destination taken leaving no undo step.
 */
import { claimCheckBucket } from '../../../activities/ledger/resolver';
import { WriteAhead } from '../../../activities/ledger/writeAhead';
import { CopyLedger } from '../../../activities/s3/copyLedger';
import type { CopyResult } from '../../../activities/s3/copy';
import { decodeChunk, encodeChunk } from '../../../src/ledger/codec';
import { judgeObject, revertSteps } from '../../../src/ledger/plan';
import type { LedgerEntry, LedgerSink, ObjectEntry } from '../../../src/ledger/types';

function memorySink(): LedgerSink & { chunks: LedgerEntry[][] } {
  const chunks: LedgerEntry[][] = [];
  return { chunks, record: async (entries) => void chunks.push([...entries]) };
}

const created = (pk: string): LedgerEntry => ({ kind: 'item', table: 'uds', newKey: { PK: { S: pk }, SK: { S: 's' } }, new: { PK: { S: pk }, SK: { S: 's' }, v: { N: '1' } } });
const result = (status: CopyResult['status'], written?: CopyResult['written']): CopyResult => ({ status, bytes: 1, dryRun: false, ...(written ? { written } : {}) });

describe('WriteAhead', () => {
  it('records a page as one chunk and a foreseen write costs nothing more; an unforeseen one records itself', async () => {
    const sink = memorySink();
    const ahead = new WriteAhead(sink);
    await ahead.foresee([created('a'), created('b'), created('a')]);
    await ahead.before(created('a'));
    await ahead.before(created('c'));
    await ahead.foresee([]);
    expect(sink.chunks).toEqual([[created('a'), created('b')], [created('c')]]);
    expect(ahead.active).toBe(true);
  });

  it('is a no-op without a sink', async () => {
    const ahead = new WriteAhead(undefined);
    await ahead.foresee([created('a')]);
    await ahead.before(created('a'));
    expect(ahead.active).toBe(false);
  });

  it('records again a chunk whose put failed', async () => {
    const chunks: LedgerEntry[][] = [];
    let fail = true;
    const ahead = new WriteAhead({
      record: async (entries) => {
        if (fail) throw new Error('503');
        chunks.push([...entries]);
      },
    });
    await expect(ahead.foresee([created('a')])).rejects.toThrow('503');
    fail = false;
    await ahead.before(created('a'));
    expect(chunks).toEqual([[created('a')]]);
  });
});

describe('CopyLedger', () => {
  const pages = [
    { source: 'u/a.json', destination: 'conv/a.json', listed: { size: 1, etag: '"ea"' } },
    { source: 'u/b.json', destination: 'conv/b.json', listed: { size: 1, etag: '"eb"' } },
    { source: 'u/c.json', destination: 'conv/c.json', listed: { size: 1, etag: '"ec"' } },
    { source: 'u/d.json', destination: 'conv/d.json', listed: { size: 1, etag: '"ed"' } },
    { source: 'u/e.json', destination: 'conv/e.json' },
    { source: 'u/skip', destination: undefined },
  ];

  it('writes the page intents ahead, then settles only what the intents could not say', async () => {
    const sink = memorySink();
    const ledger = new CopyLedger(sink, 'legacy', 'consolidation');
    await ledger.ahead(pages);
    expect(sink.chunks).toHaveLength(1);
    expect(sink.chunks[0].map((e) => (e as ObjectEntry).key)).toEqual(['conv/a.json', 'conv/b.json', 'conv/c.json', 'conv/d.json', 'conv/e.json']);
    expect(sink.chunks[0][0]).toEqual({ kind: 'object', bucket: 'consolidation', key: 'conv/a.json', source: 'legacy/u/a.json', etag: '"ea"', confirmed: false });
    ledger.settle('conv/a.json', result('copied', { etag: '"ea"' })); // as intended: nothing to add
    ledger.settle('conv/b.json', result('skipped-identical'));
    ledger.settle('conv/c.json', result('copied', { etag: '"mp-2"' })); // multipart
    ledger.settle('conv/d.json', result('failed'));
    ledger.settle('conv/e.json', result('copied', { etag: '"ee"', versionId: 'v1' }));
    await ledger.flush();
    expect(sink.chunks[1]).toEqual([
      { kind: 'object', bucket: 'consolidation', key: 'conv/b.json', source: 'legacy/u/b.json', confirmed: true, untouched: true },
      { kind: 'object', bucket: 'consolidation', key: 'conv/c.json', source: 'legacy/u/c.json', etag: '"mp-2"', confirmed: true },
      { kind: 'object', bucket: 'consolidation', key: 'conv/e.json', source: 'legacy/u/e.json', etag: '"ee"', versionId: 'v1', confirmed: true },
    ]);
    // The chunks round-trip, and the revert plan has no step for the taken destination.
    const entries = sink.chunks.flatMap((c) => decodeChunk(encodeChunk(c), 'c'));
    const { steps, superseded } = revertSteps(entries);
    expect(steps.map((s) => (s as ObjectEntry).key).sort()).toEqual(['conv/a.json', 'conv/c.json', 'conv/d.json', 'conv/e.json']);
    expect(steps.find((s) => (s as ObjectEntry).key === 'conv/c.json')).toMatchObject({ etag: '"mp-2"' });
    expect(superseded).toBe(4);
  });

  it('records nothing for a self-copy, without a sink, or when every copy went as intended', async () => {
    const sink = memorySink();
    const same = new CopyLedger(sink, 'b', 'b');
    await same.ahead([{ source: 'k', destination: 'k' }]);
    await same.flush();
    const none = new CopyLedger(undefined, 'a', 'b');
    await none.ahead(pages);
    none.settle('conv/b.json', result('conflict'));
    await none.flush();
    const plain = new CopyLedger(sink, 'a', 'b');
    await plain.ahead([pages[0]]);
    plain.settle('conv/a.json', result('copied', { etag: '"ea"' }));
    await plain.flush();
    expect(sink.chunks).toHaveLength(1);
  });

  it('a destination two sources of the run copy with the same bytes is undone: the second found it taken, the first wrote it', async () => {
    const sink = memorySink();
    const legacy = new CopyLedger(sink, 'legacy', 'consolidation');
    await legacy.ahead([{ source: 'u/a.json', destination: 'conv/a.json', listed: { size: 1, etag: '"ea"' } }]);
    legacy.settle('conv/a.json', result('copied', { etag: '"ea"' }));
    await legacy.flush();
    const splitState = new CopyLedger(sink, 'consolidation', 'consolidation');
    await splitState.ahead([{ source: 'conv/old-a/a.json', destination: 'conv/a.json', listed: { size: 1, etag: '"ea"' } }]);
    splitState.settle('conv/a.json', result('skipped-identical'));
    await splitState.flush();
    const { steps } = revertSteps(sink.chunks.flat());
    expect(steps).toEqual([{ kind: 'object', bucket: 'consolidation', key: 'conv/a.json', source: 'legacy/u/a.json', etag: '"ea"', confirmed: false }]);
    // Without the first copy, the key was the bucket's own: no step.
    expect(revertSteps(sink.chunks.slice(1).flat()).steps).toEqual([]);
  });

  it('an untouched marker is judged done even if the object has the intended ETag', () => {
    expect(judgeObject({ kind: 'object', bucket: 'b', key: 'k', confirmed: true, untouched: true }, { etag: '"e"' })).toBe('done');
  });
});

describe('the ledger bucket of an activity without a deployment', () => {
  it('is the bucket of the id map claim check named in the memo', () => {
    expect(claimCheckBucket('s3://v6-prod-consolidation/amplify-migrate/idmaps/abc.json')).toBe('v6-prod-consolidation');
    expect(claimCheckBucket('v6/x')).toBeUndefined();
    expect(claimCheckBucket(undefined)).toBeUndefined();
  });
});
