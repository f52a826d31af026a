/**
 * The single-fault harness in CI: one migrated user (alice+test@, whose id is stored
 * sanitised in USER_DATA_STORAGE) beside the outsider bob@example.edu.au, scenario A. The
 * exhaustive sweep (every request × every fault kind) is `npm run faults`; CI runs a fixed
 * sample of it that a few minutes allow: every kind of write (TransactWriteItems, UpdateItem,
 * PutItem, CopyObject, ...) once with its answer lost (its last request) and once with the
 * worker killed just after it (its first request), and one request of each other fault kind.
 * Then the worker killed just after each DynamoDB PutItem with its last heartbeat lost (the
 * SDK throttles heartbeats, so the newest can die with the worker): the retry resumes from
 * an older checkpoint and meets writes its predecessor made after it, which it must count as
 * the plan did (a merged task-log item once counted as unchanged).
 */
import { startMotoServer } from '../../client/stack/localStack';
import { FAULT_KINDS, type FaultKind } from './faultProxy';
import { isWrite, SingleFaultHarness, type CaseResult } from './singleFault';

let harness: SingleFaultHarness;
let moto: Awaited<ReturnType<typeof startMotoServer>> | undefined;

beforeAll(async () => {
  // An emulator of its own: the shared one holds every earlier test file's data by now, and
  // a case (a restore and a whole pass, about 400 requests) costs several times more there.
  moto = await startMotoServer();
  harness = await SingleFaultHarness.create({ awsEndpoint: moto.endpoint, scenario: 'A', users: 1 });
}, 600_000);

afterAll(async () => {
  await harness?.close();
  moto?.child.kill('SIGTERM');
});

function sample(kind: FaultKind): number[] {
  const all = Array.from({ length: harness.requestCount }, (_, i) => i + 1);
  if (kind === 'errorAfter' || kind === 'killAfter') {
    const byOperation = new Map<string, number[]>();
    for (const k of all.filter((k) => isWrite(harness.operations[k - 1]))) {
      const operation = writeKind(harness.operations[k - 1]);
      byOperation.set(operation, [...(byOperation.get(operation) ?? []), k]);
    }
    return [...byOperation.values()].map((ks) => (kind === 'errorAfter' ? ks[ks.length - 1] : ks[0])).sort((a, b) => a - b);
  }
  // One request each, spread over the pass (a third, a half, two thirds in).
  const at = [1 / 3, 1 / 2, 2 / 3][FAULT_KINDS.filter((k) => k !== 'errorAfter' && k !== 'killAfter').indexOf(kind)] ?? 1 / 2;
  return [Math.max(1, Math.round(harness.requestCount * at))];
}

/** `dynamodb TransactWriteItems` as it is; an S3 write by method and bucket (`s3 PUT /bucket/key` → `s3 PUT bucket`), not one kind per key. */
function writeKind(operation: string): string {
  const [service, verb, url = ''] = operation.split(' ');
  return service === 's3' ? `${service} ${verb} ${url.split('/')[1] ?? ''}` : operation;
}

describe('one fault at request k', () => {
  it('the fault-free pass makes a known number of requests, writes among them', () => {
    expect(harness.requestCount).toBeGreaterThan(100);
    expect(harness.operations.filter(isWrite).length).toBeGreaterThan(20);
  });

  for (const kind of FAULT_KINDS) {
    it(`${kind}: the end state and the counts equal the fault-free run's`, async () => {
      const failures: CaseResult[] = [];
      const cases = sample(kind);
      for (const k of cases) {
        const result = await harness.runCase(kind, k);
        expect(result.faults[kind]).toBe(1);
        if (result.problems.length > 0) failures.push(result);
      }
      expect(cases.length).toBeGreaterThan(0);
      expect(failures.map((f) => ({ k: f.k, request: harness.describeRequest(f.k), problems: f.problems }))).toEqual([]);
    }, 1_800_000);
  }

  it('killAfter with the last heartbeat lost, after every DynamoDB PutItem: the end state and the counts equal the fault-free run\'s', async () => {
    const puts = harness.operations.flatMap((operation, i) => (operation === 'dynamodb PutItem' ? [i + 1] : []));
    expect(puts.length).toBeGreaterThan(3);
    const failures: CaseResult[] = [];
    for (const k of puts) {
      const result = await harness.runCase('killAfter', k, { staleHeartbeat: true });
      if (result.problems.length > 0) failures.push(result);
    }
    expect(failures.map((f) => ({ k: f.k, request: harness.describeRequest(f.k), problems: f.problems }))).toEqual([]);
  }, 1_800_000);
});
