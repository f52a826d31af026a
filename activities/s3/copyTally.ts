/**
 * The counts of a batch of verified copies (CopyTotals) and the Tally that adds one copy's
 * result to them: counters instead of per-object results, so they fit a Temporal payload,
 * with the conflicts and failures listed only up to a cap.
 */
import type { CopyResult } from './copy';

export interface CopyIssue {
  source: string;
  destination: string;
  reason: string;
}

export interface CopyTotals {
  /** Objects examined (listed, or taken from the key/pair list). */
  objectsListed: number;
  /** Objects the mapping left alone (destinationKey returned undefined). */
  objectsUnmapped: number;
  /** Copied and verified (in a dry run: would be copied). */
  objectsCopied: number;
  /** Of objectsCopied, those that went (or would go) through multipart UploadPartCopy. */
  objectsCopiedMultipart: number;
  /** An identical destination already existed. */
  objectsSkipped: number;
  bytesCopied: number;
  conflictCount: number;
  /** The first maxReported conflicts; conflictCount has them all. */
  conflicts: CopyIssue[];
  failureCount: number;
  /** The first maxReported failures; failureCount has them all. */
  failures: CopyIssue[];
  /**
   * Of failureCount, sources archived in GLACIER / DEEP_ARCHIVE and not restored: S3 cannot
   * copy them, so they stay failures (their pointers must not move) with their own count and
   * a reason saying to restore them.
   */
  objectsArchived: number;
}

export function emptyTotals(): CopyTotals {
  return {
    objectsListed: 0,
    objectsUnmapped: 0,
    objectsCopied: 0,
    objectsCopiedMultipart: 0,
    objectsSkipped: 0,
    bytesCopied: 0,
    conflictCount: 0,
    conflicts: [],
    failureCount: 0,
    failures: [],
    objectsArchived: 0,
  };
}

/** Reasons are cut so the capped lists keep a heartbeat and a result well under Temporal's payload limits. */
const MAX_REASON_CHARS = 300;

function shortReason(reason: string): string {
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}...` : reason;
}

/** Tallies per-object results into totals; the reported lists stay capped. */
export class Tally {
  readonly totals: CopyTotals;
  constructor(
    initial: CopyTotals | undefined,
    private readonly maxReported: number,
  ) {
    const base = initial ?? emptyTotals();
    this.totals = { ...base, conflicts: [...base.conflicts], failures: [...base.failures] };
  }

  unmapped(): void {
    this.totals.objectsListed++;
    this.totals.objectsUnmapped++;
  }

  add(entry: { source: string; destination: string }, result: CopyResult): void {
    const t = this.totals;
    t.objectsListed++;
    switch (result.status) {
      case 'copied':
        t.objectsCopied++;
        if (result.method === 'multipart') t.objectsCopiedMultipart++;
        t.bytesCopied += result.bytes;
        break;
      case 'skipped-identical':
        t.objectsSkipped++;
        break;
      case 'conflict':
        t.conflictCount++;
        if (t.conflicts.length < this.maxReported) t.conflicts.push({ ...entry, reason: shortReason(result.reason ?? 'conflict') });
        break;
      case 'failed':
        this.failed(entry, result.reason ?? 'failed');
        break;
      case 'archived':
        // Not thrown: a retry cannot help until the object is restored. `?? 0`: totals
        // resumed from an older worker's heartbeat may lack the field.
        t.objectsArchived = (t.objectsArchived ?? 0) + 1;
        this.failed(entry, result.reason ?? 'source is archived');
        break;
    }
  }

  /** The mapping threw for this key: it was examined, and it is a failure. */
  mappingFailed(source: string, reason: string): void {
    this.totals.objectsListed++;
    this.failed({ source, destination: '' }, reason);
  }

  private failed(entry: { source: string; destination: string }, reason: string): void {
    this.totals.failureCount++;
    if (this.totals.failures.length < this.maxReported) this.totals.failures.push({ ...entry, reason: shortReason(reason) });
  }

  snapshot(): CopyTotals {
    return { ...this.totals, conflicts: [...this.totals.conflicts], failures: [...this.totals.failures] };
  }
}
