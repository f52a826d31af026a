/** The ledger's S3 writer and reader on the moto server. */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { destroyAwsClients } from '../../activities/aws/clients';
import { listChunks, readLedger, s3LedgerSink, type LedgerCost } from '../../activities/ledger/s3Ledger';
import type { LedgerEntry } from '../../src/ledger/types';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const bucket = `${uniqueDepName('ledger')}-consolidation`.toLowerCase();

beforeAll(() => clients.s3.send(new CreateBucketCommand({ Bucket: bucket })));
afterAll(() => destroyAwsClients(clients));

describe('S3 ledger', () => {
  it('writes one object per record call under the run folder and reads the entries back in order', async () => {
    const cost: LedgerCost = { requests: 0, bytes: 0 };
    const first = s3LedgerSink(clients, { bucket, runId: 'r1' }, 'copyUserObjects-run/u0-a1', cost);
    const second = s3LedgerSink(clients, { bucket, runId: 'r1' }, 'rewriteUserTables-run/u0-a2', cost);
    const entries: LedgerEntry[] = [
      { kind: 'item', table: 't', oldKey: { PK: { S: 'a' } }, old: { PK: { S: 'a' }, b: { B: new Uint8Array([1, 2]) } }, newKey: { PK: { S: 'A' } }, new: { PK: { S: 'A' }, b: { B: new Uint8Array([1, 2]) } } },
      { kind: 'parameter', name: '/x', value: 'v' },
    ];
    await first.record([entries[0]]);
    await first.record([]);
    await new Promise((r) => setTimeout(r, 5));
    await second.record([entries[1]]);
    await s3LedgerSink(clients, { bucket, runId: 'r2' }, 'other', cost).record([entries[1]]);

    const keys = await listChunks(clients, { bucket, runId: 'r1' });
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.startsWith('amplify-migrate/ledgers/r1/chunks/') && k.endsWith('.jsonl'))).toBe(true);
    expect(await readLedger(clients, { bucket, runId: 'r1' })).toEqual(entries);
    expect(cost.requests).toBe(3);
    expect(cost.bytes).toBeGreaterThan(0);
  });

  it("a retried attempt reads back its own activity's chunks after a checkpoint's mark, and only those", async () => {
    const location = { bucket, runId: 'r3' };
    const entry = (id: string): LedgerEntry => ({ kind: 'item', table: 't', oldKey: { PK: { S: id } }, old: { PK: { S: id } }, newKey: { PK: { S: id.toUpperCase() } }, new: { PK: { S: id.toUpperCase() } } });
    const activity = 'rewriteUserTables-run-u1-7';
    const first = s3LedgerSink(clients, location, { activity, attempt: 1, scheduledMs: Date.now() });
    expect(first.earlierAttempts).toBeUndefined();
    await first.record([entry('a')]);
    const mark = first.mark!();
    await first.record([entry('b')]);
    // Another activity whose name starts the same way, and another attempt's sibling activity.
    await s3LedgerSink(clients, location, { activity: `${activity}0`, attempt: 1 }).record([entry('x')]);
    await s3LedgerSink(clients, location, { activity: 'rewriteUserTables-run-u2-7', attempt: 2 }).record([entry('y')]);
    const second = s3LedgerSink(clients, location, { activity, attempt: 2, scheduledMs: Date.now() - 60_000 });
    await second.record([entry('c')]);

    const third = s3LedgerSink(clients, location, { activity, attempt: 3, scheduledMs: Date.now() - 60_000 });
    expect(await third.earlierAttempts!(mark)).toEqual([entry('b'), entry('c')]);
    // No checkpoint: everything this activity recorded since it was scheduled.
    expect(await third.earlierAttempts!(undefined)).toEqual([entry('a'), entry('b'), entry('c')]);
    // What the retry read is in its next checkpoint: the mark moves past it.
    // A retry that finds nothing after its checkpoint keeps the checkpoint's mark.
    const fourth = s3LedgerSink(clients, location, { activity: 'nothing-after', attempt: 2 });
    expect(await fourth.earlierAttempts!(mark)).toEqual([]);
    expect(fourth.mark!()).toBe(mark);
    const secondAttemptsChunk = (await listChunks(clients, location)).find((k) => k.includes(`-${activity}-a2-`))!;
    expect(third.mark!()! >= secondAttemptsChunk).toBe(true);
  });
});
