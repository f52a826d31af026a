/**
 * The single-fault harness in CI: one migrated user (alice+test@, whose id is stored
 * sanitised in USER_DATA_STORAGE) beside the outsider bob@example.edu.au, scenario A. The
 * exhaustive sweep (every request × every fault kind) is `npm run faults`; CI runs a fixed
 * sample of it that a couple of minutes allow: for each kind of write (TransactWriteItems,
 * UpdateItem, PutItem, CopyObject, ...), its first and last request with the response lost,
 * and the same with the worker killed after it; and a spread of the other kinds over all requests.
 */
import { startMotoServer } from '../../client/stack/localStack';
import { FAULT_KINDS, type FaultKind } from './faultProxy';
import { isWrite, SingleFaultHarness, type CaseResult } from './singleFault';

const OTHER_STRIDE = 150;

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
      const operation = harness.operations[k - 1];
      byOperation.set(operation, [...(byOperation.get(operation) ?? []), k]);
    }
    return [...new Set([...byOperation.values()].flatMap((ks) => [ks[0], ks[ks.length - 1]]))].sort((a, b) => a - b);
  }
  const offset = FAULT_KINDS.indexOf(kind) * 7;
  return all.filter((k) => k % OTHER_STRIDE === offset % OTHER_STRIDE);
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
});
