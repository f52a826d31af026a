/** What the plain functions take besides their activity input, so they run without Temporal. */
import type { AwsClients } from '../aws/clients';
import { loadIdMapClaimCheck, type IdMapCache } from '../dynamo/idMapClaimCheck';
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
  /**
   * The worker's one id-map cache (the activities pass it). Absent, as when a test calls the
   * plain function: the map is read and verified for this call alone.
   */
  idMapCache?: IdMapCache;
  /** The run's ledger (issue 12): every write recorded before it is made, a page at a time. Absent: none. */
  ledger?: LedgerSink;
}

/**
 * Small pages keep heartbeats (and so cancellation and resume points) frequent, as in the
 * table rewriter (activities/dynamo/tableRewriter.ts).
 */
export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_CONCURRENCY = 4;

export function loadIds(clients: AwsClients, ref: IdMapRef, cache?: IdMapCache): Promise<IdMap> {
  const claim = { bucket: ref.bucket, key: ref.key, sha256: ref.sha256 };
  return cache ? cache.resolve(clients, claim) : loadIdMapClaimCheck(clients, claim);
}
