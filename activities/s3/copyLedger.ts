/**
 * The ledger of S3 copies (issue 12), one page or chunk at a time:
 *
 * - ahead of the page's copies, one chunk of intents: destination bucket and key, and the
 *   ETag the copy is expected to have (the source's as listed; unknown for an unlisted key);
 * - after them, one chunk (only if needed) settling what the intents could not say: the ETag
 *   and version id a copy really has when they differ from the intent's (multipart, SSE-KMS,
 *   an unlisted source, a versioned bucket), and `untouched` for a destination the copy found
 *   taken (identical, or a different object left as a conflict), which the run did not write.
 *   Entries name the copy's source, so a destination two sources of the run copy (a legacy
 *   object and its split-state twin) is undone when either of them wrote it.
 *
 * A revert deletes a destination only while its ETag is the recorded one, and only in the
 * consolidation bucket (activities/ledger/undo.ts). An intent whose copy never ran (a crash)
 * finds nothing, or an object whose ETag it names; one whose settling chunk was lost to a crash
 * is still judged by its ETag, so nothing the run did not copy is deleted unless it holds
 * exactly the bytes the run would have copied.
 */
import type { LedgerSink, ObjectEntry } from '../../src/ledger/types';
import type { CopyResult, ListedObject } from './copy';

interface Planned {
  source: string;
  destination: string | undefined;
  listed?: ListedObject;
}

export class CopyLedger {
  private readonly intents = new Map<string, ObjectEntry>();
  private readonly settled: ObjectEntry[] = [];

  constructor(
    private readonly sink: LedgerSink | undefined,
    private readonly sourceBucket: string,
    private readonly destBucket: string,
  ) {}

  /** Records the intents of a page's copies, as one chunk, before any of them is made. */
  async ahead(entries: readonly Planned[]): Promise<void> {
    if (!this.sink) return;
    this.intents.clear();
    this.settled.length = 0;
    for (const { source, destination, listed } of entries) {
      // Unmapped, or the legacy self-copy (a no-op): nothing is written.
      if (destination === undefined || (this.sourceBucket === this.destBucket && source === destination)) continue;
      const intent: ObjectEntry = {
        kind: 'object',
        bucket: this.destBucket,
        key: destination,
        source: `${this.sourceBucket}/${source}`,
        ...(listed?.etag ? { etag: listed.etag } : {}),
        confirmed: false,
      };
      this.intents.set(destination, intent);
    }
    if (this.intents.size > 0) await this.sink.record([...this.intents.values()]);
  }

  /** What one copy did, kept for the settling chunk when it differs from its intent. */
  settle(destination: string, result: CopyResult): void {
    const intent = this.intents.get(destination);
    if (!intent) return;
    const base = { kind: 'object' as const, bucket: intent.bucket, key: intent.key, source: intent.source };
    if (result.status === 'skipped-identical' || result.status === 'conflict' || result.status === 'archived') {
      this.settled.push({ ...base, confirmed: true, untouched: true });
    } else if (result.status === 'copied' && result.written && (result.written.etag !== intent.etag || result.written.versionId !== undefined)) {
      this.settled.push({ ...base, ...(result.written.etag ? { etag: result.written.etag } : {}), ...(result.written.versionId ? { versionId: result.written.versionId } : {}), confirmed: true });
    }
    // Failed: the intent stays, judged by its ETag (a failed verification deleted what it wrote).
  }

  /** Records the page's settling entries, if any. */
  async flush(): Promise<void> {
    if (!this.sink || this.settled.length === 0) return;
    await this.sink.record(this.settled.splice(0));
  }
}
