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
});
