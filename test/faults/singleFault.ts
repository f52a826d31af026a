/**
 * The exhaustive single-fault harness (FoundationDB-style simulation at the request level).
 *
 * A small seeded deployment (the adversarial ids bob@ / bobby@ / alice+test@, and the
 * outsider bob@example.edu.au who shares with them; one item per table, one object per
 * layout) is migrated once without faults: that gives the reference end state, the number
 * N of AWS requests the write pass makes, and (a dry run) the plan's counts. Then, for every
 * k in 1..N and every fault kind, a fresh copy of the same deployment is migrated with one
 * fault injected at request k, and the harness checks:
 * - the end state equals the reference, item for item and object for object;
 * - no activity failed for good;
 * - the report's write counts equal the plan's (the same tables and buckets, the same
 *   itemsWritten / itemsMoved / objectsCopied), so writes done by an attempt whose answer
 *   was lost are counted as done.
 */
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../activities/aws/clients';
import { IdMapCache, putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { seedSampleDeployment } from '../../client/seed/seed';
import { buildDeployment, type Deployment } from '../../src/deployment/catalogue';
import type { Totals } from '../../src/report/counters';
import { generateSampleDeployment, type SampleDeployment, type Scenario } from '../../src/seed';
import type { IdPair } from '../../src/idmap/types';
import { restoreSeed } from './restore';
import type { IdMapRef } from '../../workflows/types';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, withoutDeploymentName, type DeploymentSnapshot } from '../support/snapshot';
import { FaultProxy, type FaultKind, type FaultCounts } from './faultProxy';
import { scriptedRun } from './scriptedRun';

export interface HarnessOptions {
  awsEndpoint: string;
  scenario: Scenario;
  users?: number;
}

export interface CaseResult {
  kind: FaultKind;
  k: number;
  /** Human-readable differences; empty when the case passed. */
  problems: string[];
  faults: FaultCounts;
  retries: number;
}

/** What a report says was written, per table and bucket: the figures the plan must predict. */
export interface WriteCount {
  written: number;
  moved: number;
  conflicts: number;
  failures: number;
}
export type WriteCounts = Record<string, WriteCount>;

export function writeCounts(totals: Totals): WriteCounts {
  const counts: WriteCounts = {};
  for (const [table, c] of Object.entries(totals.tables)) {
    if (c.itemsWritten + c.itemsMoved + c.conflicts + c.failures > 0) counts[table] = { written: c.itemsWritten, moved: c.itemsMoved, conflicts: c.conflicts, failures: c.failures };
  }
  for (const [bucket, c] of Object.entries(totals.buckets)) {
    if (c.objectsCopied + c.conflicts + c.failures > 0) counts[bucket] = { written: c.objectsCopied, moved: 0, conflicts: c.conflicts, failures: c.failures };
  }
  return counts;
}

/**
 * Where the run's counts differ from the plan's: written, moved, conflicts and failures of
 * every table and bucket row, exactly, whatever the fault. A write whose answer was lost is
 * recognised by the attempt that made it; one made by a killed attempt after its last
 * checkpoint, by the retry, from the killed attempt's ledger intents (activities/dynamo/engine.ts
 * countEarlierAttempts, WriteAhead.earlierPut); a copy, by its LastModified.
 */
export function countDifferences(plan: WriteCounts, run: WriteCounts): string[] {
  const out: string[] = [];
  const none: WriteCount = { written: 0, moved: 0, conflicts: 0, failures: 0 };
  const text = (c: WriteCount | undefined) => (c ? `written ${c.written} moved ${c.moved} conflicts ${c.conflicts} failures ${c.failures}` : 'nothing');
  for (const where of new Set([...Object.keys(plan), ...Object.keys(run)])) {
    const p = plan[where] ?? none;
    const r = run[where] ?? none;
    if (p.written !== r.written || p.moved !== r.moved || p.conflicts !== r.conflicts || p.failures !== r.failures) {
      out.push(`${where}: plan says ${text(plan[where])}, the run says ${text(run[where])}`);
    }
  }
  return out;
}

const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/** A request that changes state (as the operations log names it: `service operation`). */
export function isWrite(operation: string | undefined): boolean {
  const [service, verb] = (operation ?? '').split(' ');
  if (service === 'dynamodb') return DYNAMO_WRITES.has(verb);
  if (service === 's3') return verb === 'PUT' || verb === 'POST' || verb === 'DELETE';
  return false;
}

let counter = 0;

interface Seeded {
  deployment: Deployment;
  sample: SampleDeployment;
  idMapRef: IdMapRef;
  pairs: IdPair[];
}

export class SingleFaultHarness {
  /** Requests of one fault-free write pass. */
  requestCount = 0;
  reference!: DeploymentSnapshot;
  planCounts!: WriteCounts;
  /** The fault-free run's operations in order, to name the request a failing case faulted. */
  operations: string[] = [];

  private constructor(
    private readonly options: HarnessOptions,
    private readonly direct: AwsClients,
    private readonly proxy: FaultProxy,
    private readonly proxied: AwsClients,
    private readonly idMapCache: IdMapCache,
  ) {}

  static async create(options: HarnessOptions): Promise<SingleFaultHarness> {
    const proxy = await new FaultProxy(options.awsEndpoint).start();
    const direct = createAwsClients({ endpoint: options.awsEndpoint, region: 'us-east-1' });
    // Production's SDK retries (a few attempts) absorb a single throttle or 500, as they would on AWS.
    const proxied = createAwsClients({ endpoint: proxy.url, region: 'us-east-1', maxAttempts: 3 });
    const harness = new SingleFaultHarness(options, direct, proxy, proxied, new IdMapCache());
    await harness.prepare();
    return harness;
  }

  async close(): Promise<void> {
    destroyAwsClients(this.direct);
    destroyAwsClients(this.proxied);
    await this.proxy.stop();
  }

  private seeded?: Seeded;
  /** The seeded deployment as the last run left it, when that is not its seeded state. */
  private dirty?: DeploymentSnapshot;

  /** The seeded deployment in its seeded state: provisioned once, restored in place after each run. */
  private async seed(): Promise<Seeded> {
    if (this.seeded) {
      const state = this.dirty ?? (await snapshotDeployment(this.direct, this.seeded.deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES }));
      await restoreSeed(this.direct, this.seeded.deployment, this.seeded.sample, state);
      this.dirty = undefined;
      return this.seeded;
    }
    const deployment = buildDeployment({ depName: `sf${process.pid % 1000}x${(counter++).toString(36)}`, stage: 'dev' });
    const sample = generateSampleDeployment({
      users: this.options.users ?? 3,
      outsiders: 1,
      itemsPerUser: 1,
      objectsPerUser: 1,
      objectBytes: 64,
      seed: 11,
      scenario: this.options.scenario,
      deployment: { depName: deployment.depName, stage: deployment.stage },
    });
    await seedSampleDeployment(this.direct, deployment, sample, { versionedBuckets: ['S3_CONVERSATIONS_BUCKET_NAME'] });
    const pairs = sample.users.map(({ oldId, newId }) => ({ oldId, newId }));
    const claim = await putIdMapClaimCheck(this.direct, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs);
    const idMapRef: IdMapRef = { ...claim, count: pairs.length, changesAnyId: pairs.some((p) => p.oldId !== p.newId) };
    // Loaded once, before any counted request: the claim check's read is not part of the pass.
    await this.idMapCache.resolve(this.direct, claim);
    this.seeded = { deployment, sample, idMapRef, pairs };
    return this.seeded;
  }

  private async prepare(): Promise<void> {
    const planned = await this.seed();
    const plan = await scriptedRun({ clients: this.direct, ...planned, dryRun: true, idMapCache: this.idMapCache });
    this.planCounts = writeCounts(plan.totals);

    const clean = await this.seed();
    this.proxy.resetCount();
    this.proxy.record = true;
    this.proxy.injector = () => undefined;
    const run = await scriptedRun({ clients: this.proxied, ...clean, dryRun: false, idMapCache: this.idMapCache, proxy: this.proxy });
    this.proxy.record = false;
    this.requestCount = this.proxy.faults.requests;
    this.operations = this.proxy.log.map((r) => `${r.service} ${r.operation}`);
    if (run.failed.length > 0) throw new Error(`the fault-free run failed: ${run.failed.join('; ')}`);
    const differences = countDifferences(this.planCounts, writeCounts(run.totals));
    if (differences.length > 0) throw new Error(`the fault-free run does not match its plan: ${differences.join('; ')}`);
    this.reference = await this.endState(clean.deployment);
  }

  async runCase(kind: FaultKind, k: number, options: { staleHeartbeat?: boolean } = {}): Promise<CaseResult> {
    const t0 = Date.now();
    const seeded = await this.seed();
    const t1 = Date.now();
    this.proxy.resetCount();
    this.proxy.injector = (request) => (request.index === k ? kind : undefined);
    const run = await scriptedRun({ clients: this.proxied, ...seeded, dryRun: false, idMapCache: this.idMapCache, proxy: this.proxy, staleHeartbeatOnKill: options.staleHeartbeat });
    this.proxy.injector = () => undefined;
    const faults = this.proxy.faults;
    const t2 = Date.now();
    if (process.env.HARNESS_TIMING) console.log(`restore ${t1 - t0} ms, run ${t2 - t1} ms`);
    const problems: string[] = [...run.failed.map((f) => `failed: ${f}`)];
    const diff = snapshotDiff(this.reference, await this.endState(seeded.deployment));
    for (const [where, d] of Object.entries(diff)) {
      for (const item of d.removed) problems.push(`${where}: missing ${item.slice(0, 300)}`);
      for (const item of d.added) problems.push(`${where}: unexpected ${item.slice(0, 300)}`);
    }
    problems.push(...countDifferences(this.planCounts, writeCounts(run.totals)));
    return { kind, k, problems, faults, retries: run.retries };
  }

  /** The end state, comparable across deployments; kept raw for the next restore. */
  private async endState(deployment: Deployment): Promise<DeploymentSnapshot> {
    this.dirty = await snapshotDeployment(this.direct, deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    return withoutDeploymentName(this.dirty, deployment.depName);
  }

  describeRequest(k: number): string {
    return this.operations[k - 1] ?? `request ${k}`;
  }
}
