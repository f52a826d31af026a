/**
 * SSM Parameter Store operations. Plain async functions, not registered with Temporal
 * themselves: the CLI calls them directly, and the registered run activity writeSsmParameters
 * (activities/migration/run.ts) calls them inside the worker; neither needs the other.
 */
import {
  DeleteParametersCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { PlannedParameter } from '../../src/ssm/types';
import { chunk, mapWithConcurrency } from '../concurrency';
import type { WriteAhead } from '../ledger/writeAhead';
import type { ParameterEntry } from '../../src/ledger/types';
import { DEFAULT_RETRY, describeError, withThrottleRetry, type RetryPolicy } from './retry';
import {
  emptyCounters,
  type DeleteParametersResult,
  type ParameterOutcome,
  type ReadParametersResult,
  type ServiceWriteSummary,
  type StoredParameter,
  type WriteParametersInput,
  type WriteParametersResult,
} from './types';

export * from './types';

/** GetParameters and DeleteParameters accept at most 10 names per call. */
const BATCH = 10;
const DEFAULT_CONCURRENCY = 4;

export interface ParameterStoreOptions {
  retry?: RetryPolicy;
}

export function createParameterStore(clients: { ssm: SSMClient }, options: ParameterStoreOptions = {}) {
  const { ssm } = clients;
  const retry = options.retry ?? DEFAULT_RETRY;
  const send = <T>(call: () => Promise<T>) => withThrottleRetry(call, retry);

  async function getBatch(names: string[]): Promise<ReadParametersResult> {
    const out = await send(() => ssm.send(new GetParametersCommand({ Names: names, WithDecryption: false })));
    return {
      found: (out.Parameters ?? []).map((p) => ({ name: p.Name ?? '', value: p.Value ?? '', type: p.Type ?? 'String' })),
      missing: out.InvalidParameters ?? [],
    };
  }

  /** Current values of the given names, 10 per call. */
  async function readParameters(names: string[], concurrency = DEFAULT_CONCURRENCY): Promise<ReadParametersResult> {
    const batches = await mapWithConcurrency(chunk([...new Set(names)], BATCH), concurrency, getBatch);
    return { found: batches.flatMap((b) => b.found), missing: batches.flatMap((b) => b.missing) };
  }

  async function put(parameter: PlannedParameter, overwrite: boolean): Promise<void> {
    await send(() =>
      ssm.send(
        new PutParameterCommand({
          Name: parameter.name,
          Value: parameter.value,
          Type: 'String',
          Description: parameter.description,
          Overwrite: overwrite,
        }),
      ),
    );
  }

  /** What a write of `parameter` over `existing` records in the run's ledger (issue 12). */
  const entryFor = (parameter: PlannedParameter, existing: StoredParameter | undefined): ParameterEntry => ({
    kind: 'parameter',
    name: parameter.name,
    ...(existing ? { previous: existing.value } : {}),
    value: parameter.value,
  });

  async function applyOne(parameter: PlannedParameter, existing: StoredParameter | undefined, dryRun: boolean, ledger?: WriteAhead): Promise<ParameterOutcome> {
    const base = { name: parameter.name, service: parameter.service, value: parameter.value };
    if (existing && existing.type !== 'String') {
      // A SecureString reads back as ciphertext; replacing it with a String would expose or lose it.
      return { ...base, action: 'failed', previous: existing.value, reason: `exists as a ${existing.type} parameter; not replaced with a String` };
    }
    if (existing && existing.value === parameter.value) return { ...base, action: 'unchanged' };
    if (dryRun) return existing ? { ...base, action: 'updated', previous: existing.value } : { ...base, action: 'created' };
    try {
      // Foreseen by writeParameters' chunk, unless the parameter changed since it was read.
      await ledger?.before(entryFor(parameter, existing));
      if (existing) {
        await put(parameter, true);
        return { ...base, action: 'updated', previous: existing.value };
      }
      try {
        await put(parameter, false);
        return { ...base, action: 'created' };
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ParameterAlreadyExists')) throw error;
        // Someone created it since we read: compare again instead of overwriting blindly.
        const now = (await getBatch([parameter.name])).found[0];
        return applyOne(parameter, now ?? { name: parameter.name, value: '', type: 'String' }, dryRun, ledger);
      }
    } catch (error) {
      return { ...base, action: 'failed', reason: describeError(error) };
    }
  }

  /**
   * Compare-then-write: PutParameter only for new names and changed values. With the run's
   * ledger, the writes found needed are recorded as one chunk (name, previous value or absent,
   * new value) before any of them is made.
   */
  async function writeParameters(input: WriteParametersInput, ledger?: WriteAhead): Promise<WriteParametersResult> {
    const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
    const byName = new Map<string, PlannedParameter>();
    for (const parameter of input.parameters) byName.set(parameter.name, parameter);
    const parameters = [...byName.values()];

    const existing = new Map<string, StoredParameter>();
    const readFailures = new Map<string, string>();
    await mapWithConcurrency(chunk(parameters, BATCH), concurrency, async (batch) => {
      try {
        for (const found of (await getBatch(batch.map((p) => p.name))).found) existing.set(found.name, found);
      } catch (error) {
        for (const p of batch) readFailures.set(p.name, `reading the current value failed: ${describeError(error)}`);
      }
    });

    if (ledger && !input.dryRun) {
      const writes = parameters.filter((p) => {
        const found = existing.get(p.name);
        return !readFailures.has(p.name) && (!found || (found.type === 'String' && found.value !== p.value));
      });
      await ledger.foresee(writes.map((p) => entryFor(p, existing.get(p.name))));
    }
    const outcomes = await mapWithConcurrency(parameters, concurrency, async (parameter): Promise<ParameterOutcome> => {
      const readFailure = readFailures.get(parameter.name);
      if (readFailure) return { name: parameter.name, service: parameter.service, value: parameter.value, action: 'failed', reason: readFailure };
      return applyOne(parameter, existing.get(parameter.name), input.dryRun, input.dryRun ? undefined : ledger);
    });
    return summarise(input, outcomes);
  }

  /** Every parameter under a path prefix (recursive, all pages), sorted by name. */
  async function readParametersByPath(prefix: string): Promise<StoredParameter[]> {
    const path = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
    const found: StoredParameter[] = [];
    let token: string | undefined;
    do {
      const page = await send(() =>
        ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: false, MaxResults: 10, NextToken: token })),
      );
      for (const p of page.Parameters ?? []) found.push({ name: p.Name ?? '', value: p.Value ?? '', type: p.Type ?? 'String' });
      token = page.NextToken;
    } while (token);
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Deletes exactly the given names (for `ssm diff --prune`), 10 per call. */
  async function deleteParameters(names: string[]): Promise<DeleteParametersResult> {
    const result: DeleteParametersResult = { deleted: [], notFound: [], failed: [] };
    for (const batch of chunk([...new Set(names)], BATCH)) {
      try {
        const out = await send(() => ssm.send(new DeleteParametersCommand({ Names: batch })));
        result.deleted.push(...(out.DeletedParameters ?? []));
        result.notFound.push(...(out.InvalidParameters ?? []));
      } catch (error) {
        for (const name of batch) result.failed.push({ name, reason: describeError(error) });
      }
    }
    return result;
  }

  return { writeParameters, readParameters, readParametersByPath, deleteParameters };
}

export type ParameterStore = ReturnType<typeof createParameterStore>;

function summarise(input: WriteParametersInput, outcomes: ParameterOutcome[]): WriteParametersResult {
  const skipped = input.skipped ?? [];
  const services = new Map<string, ServiceWriteSummary>();
  const forService = (service: string) => {
    let summary = services.get(service);
    if (!summary) services.set(service, (summary = { service, ...emptyCounters() }));
    return summary;
  };
  const total = emptyCounters();
  for (const outcome of outcomes) {
    forService(outcome.service)[outcome.action]++;
    total[outcome.action]++;
  }
  for (const skip of skipped) {
    forService(skip.service).skipped++;
    total.skipped++;
  }
  return {
    dryRun: input.dryRun,
    total,
    services: [...services.values()],
    outcomes,
    failures: outcomes.filter((o) => o.action === 'failed').map((o) => ({ name: o.name, service: o.service, reason: o.reason ?? 'unknown' })),
    skipped,
  };
}
