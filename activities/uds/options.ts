/** What the plain functions take besides their activity input, so they run without Temporal. */
import type { AwsClients } from '../aws/clients';
import { IdMapCache } from '../dynamo/idMapClaimCheck';
import type { IdMap } from '../../src/idmap/types';
import type { LedgerSink } from '../../src/ledger/types';
import type { IdMapRef } from '../../workflows/types';

export interface RunOptions<Progress = never> {
  /** Where a previous attempt stopped (the activity passes its last heartbeat's details). */
  resumeFrom?: Progress;
  /** This attempt follows a failed or killed one (whose writes after `resumeFrom` are done but uncounted). */
  retried?: boolean;
  /** Called after each completed page (the activity heartbeats with it). */
  onProgress?: (progress: Progress) => void;
  /** Items per Scan page, hence per heartbeat. */
  pageSize?: number;
  /** Items of one page written at once. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  idMapCache?: IdMapCache;
  /** The run's ledger (issue 12): every write recorded before it is made, a page at a time. Absent: none. */
  ledger?: LedgerSink;
}

/**
 * Small pages keep heartbeats (and so cancellation and resume points) frequent, as in the
 * DynamoDB rewrite activities.
 */
export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_CONCURRENCY = 4;

/** One cache per worker process: a big id map is downloaded once, not once per activity. */
const processIdMapCache = new IdMapCache();

export function loadIds(clients: AwsClients, ref: IdMapRef, cache: IdMapCache = processIdMapCache): Promise<IdMap> {
  return cache.resolve(clients, { bucket: ref.bucket, key: ref.key, sha256: ref.sha256 });
}
