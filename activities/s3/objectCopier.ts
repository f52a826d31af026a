/**
 * The object copier: the verified S3 copies bound to the running activity's context. It is
 * not registered with Temporal itself; the registered object activities
 * (activities/migration/objects.ts) call it. Its copies heartbeat a resume cursor
 * and pick it up from heartbeatDetails on a retry, and pass the
 * activity's cancellationSignal to every S3 call. Results are counters and capped issue
 * lists, never per-object lists (Temporal's payload size limits).
 *
 * A mapping function cannot travel through Temporal, so inputs name one by id (plus JSON
 * params) and the injected resolveMapping turns that into the pure destinationKey function.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { copyVerified, type CopyRequest, type CopyResult, type CopyRuntime, type CopySettings } from './copy';
import {
  copyKeys,
  copyPairs,
  copyPrefix,
  type CopyListResult,
  type CopyPair,
  type CopyPrefixResult,
  type CopyTotals,
  type DestinationKeyFn,
} from './batch';
import type { S3Deps } from './objects';
import type { LedgerSink } from '../../src/ledger/types';

/** JSON-serialisable parameters of a mapping (user ids, prefixes, ...). */
export type MappingParams = Record<string, unknown>;

export interface MappingRef {
  id: string;
  params?: MappingParams;
}

export type ResolveMapping = (mappingId: string, params: MappingParams) => DestinationKeyFn;

export interface ObjectCopierDeps {
  resolveMapping: ResolveMapping;
  /** Minimum time between liveness heartbeats during one long object copy. Default 1 s. */
  livenessIntervalMs?: number;
  /** The run's ledger (issue 12) for the batch copies: intents recorded a page ahead. Absent: none. */
  ledger?: LedgerSink;
}

interface BatchInput extends CopySettings {
  sourceBucket: string;
  destBucket: string;
  concurrency?: number;
  maxReported?: number;
}

export interface CopyS3PrefixInput extends BatchInput {
  prefix: string;
  mapping: MappingRef;
  /** Start listing after this key (first attempt only; a retry resumes from its heartbeat). */
  startAfter?: string;
  pageSize?: number;
}

export interface CopyS3KeysInput extends BatchInput {
  keys: string[];
  mapping: MappingRef;
  chunkSize?: number;
}

export interface CopyS3PairsInput extends BatchInput {
  pairs: CopyPair[];
  chunkSize?: number;
}

/** What the activities heartbeat: where to resume and what was counted before that point. */
export type PrefixCheckpoint = { kind: 'prefix'; cursor?: string; totals?: CopyTotals };
export type ListCheckpoint = { kind: 'list'; cursor: number; totals?: CopyTotals };

function resumedCheckpoint<K extends 'prefix' | 'list'>(kind: K): Extract<PrefixCheckpoint | ListCheckpoint, { kind: K }> | undefined {
  const details = Context.current().info.heartbeatDetails as PrefixCheckpoint | ListCheckpoint | undefined;
  return details && typeof details === 'object' && details.kind === kind ? (details as Extract<PrefixCheckpoint | ListCheckpoint, { kind: K }>) : undefined;
}

/**
 * Heartbeats always carry the latest checkpoint: a heartbeat without details would replace
 * the stored ones, and a retry would then start over.
 */
function heartbeater<C>(initial: C, livenessIntervalMs: number): { runtime: CopyRuntime; checkpoint(next: C): void } {
  const ctx = Context.current();
  let latest = initial;
  let lastBeat = 0;
  const beat = () => {
    lastBeat = Date.now();
    ctx.heartbeat(latest);
  };
  return {
    runtime: {
      abortSignal: ctx.cancellationSignal,
      // Only a retried attempt can find copies made by an earlier attempt of itself.
      copiedSinceMs: ctx.info.attempt > 1 ? ctx.info.scheduledTimestampMs : undefined,
      onLiveness: () => {
        if (Date.now() - lastBeat >= livenessIntervalMs) beat();
      },
    },
    checkpoint(next: C) {
      latest = next;
      beat();
    },
  };
}

/**
 * The AWS SDK turns an aborted request into an AbortError whose cause is Temporal's
 * CancelledFailure; surface the CancelledFailure itself so callers and the worker see a
 * cancellation, not an error of ours.
 */
async function surfacingCancellation<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (err) {
    const signal = Context.current().cancellationSignal;
    if (signal.aborted && signal.reason instanceof CancelledFailure) throw signal.reason;
    throw err;
  }
}

export function createObjectCopier(clients: S3Deps, deps: ObjectCopierDeps) {
  const livenessIntervalMs = deps.livenessIntervalMs ?? 1000;

  /** A key or pair list's request from where a previous attempt stopped, checkpointed after every chunk. */
  function fromListCheckpoint<I extends BatchInput>(input: I) {
    const start: ListCheckpoint = resumedCheckpoint('list') ?? { kind: 'list', cursor: 0 };
    const beat = heartbeater<ListCheckpoint>(start, livenessIntervalMs);
    const request = {
      ...input,
      startIndex: start.cursor,
      initialTotals: start.totals,
      ledger: deps.ledger,
      onProgress: ({ cursor, totals }: { cursor: number; totals: CopyTotals }) => beat.checkpoint({ kind: 'list', cursor, totals }),
    };
    return { request, runtime: beat.runtime };
  }

  return {
    /** One object, verified. Short enough not to need a checkpoint. */
    async copyS3Object(input: CopyRequest): Promise<CopyResult> {
      const beat = heartbeater<undefined>(undefined, livenessIntervalMs);
      return surfacingCancellation(() => copyVerified(clients, input, beat.runtime));
    },

    /** Every object under a prefix, mapped by the named mapping. */
    async copyS3Prefix(input: CopyS3PrefixInput): Promise<CopyPrefixResult> {
      const destinationKey = deps.resolveMapping(input.mapping.id, input.mapping.params ?? {});
      const start: PrefixCheckpoint = resumedCheckpoint('prefix') ?? { kind: 'prefix', cursor: input.startAfter };
      const beat = heartbeater<PrefixCheckpoint>(start, livenessIntervalMs);
      const request = {
        ...input,
        destinationKey,
        startAfter: start.cursor,
        initialTotals: start.totals,
        ledger: deps.ledger,
        onProgress: ({ cursor, totals }: { cursor: string; totals: CopyTotals }) => beat.checkpoint({ kind: 'prefix', cursor, totals }),
      };
      return surfacingCancellation(() => copyPrefix(clients, request, beat.runtime));
    },

    /** An explicit key list, mapped by the named mapping. */
    async copyS3Keys(input: CopyS3KeysInput): Promise<CopyListResult> {
      const destinationKey = deps.resolveMapping(input.mapping.id, input.mapping.params ?? {});
      const { request, runtime } = fromListCheckpoint(input);
      return surfacingCancellation(() => copyKeys(clients, { ...request, destinationKey }, runtime));
    },

    /** Explicit {source, destination} key pairs. */
    async copyS3Pairs(input: CopyS3PairsInput): Promise<CopyListResult> {
      const { request, runtime } = fromListCheckpoint(input);
      return surfacingCancellation(() => copyPairs(clients, request, runtime));
    },
  };
}

export type ObjectCopier = ReturnType<typeof createObjectCopier>;
