/**
 * Watches a migration through its own status query and records when it made progress: any
 * change of phase, pass, run (continue-as-new), users started/done/failed, backups or
 * counters. "Time from kill to next progress" (issue 13) is the first change after a kill.
 * Query failures (the Temporal server down, no worker to answer yet) are simply skipped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { statusQuery } from '../../workflows/messages';
import type { MigrationStatus } from '../../workflows/types';

const POLL_MS = 500;

function signature(s: MigrationStatus): string {
  const sum = (values: object[]) => values.reduce((n: number, c) => n + Object.values(c).reduce((m: number, v) => m + (typeof v === 'number' ? v : 0), 0), 0);
  return JSON.stringify([
    s.runId,
    s.phase,
    s.pass,
    s.awaitingGate,
    s.users.done,
    s.users.failed,
    s.users.nextIndex,
    s.users.inFlight,
    s.backups,
    s.conflicts,
    s.failures,
    sum(Object.values(s.totals.tables)),
    sum(Object.values(s.totals.buckets)),
  ]);
}

export class ProgressMonitor {
  /** Times (ms since the epoch) at which the status was seen to change. */
  readonly changes: number[] = [];
  last?: MigrationStatus;
  queryFailures = 0;
  private stopped = false;
  private loop?: Promise<void>;
  private lastSignature?: string;

  constructor(
    private readonly client: Client,
    private readonly workflowId: string,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          // No run id: the handle follows the latest run across continue-as-new.
          const status = await this.client.workflow.getHandle(this.workflowId).query(statusQuery);
          const sig = signature(status);
          if (sig !== this.lastSignature) {
            if (this.lastSignature !== undefined) this.changes.push(Date.now());
            this.lastSignature = sig;
          }
          this.last = status;
        } catch {
          this.queryFailures++;
        }
        await sleep(POLL_MS);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The first change strictly after `at`, if any yet. */
  progressAfter(at: number): number | undefined {
    return this.changes.find((t) => t > at);
  }

  /** Resolves once the run's status says the approved pass has begun, or when `done` settles first. */
  async waitForRealPass(done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished && !(this.last?.pass === 'run' && this.last.phase !== 'approval-gate')) await sleep(POLL_MS);
  }

  /** Resolves once progress after `at` was seen, or when `done` settles first. */
  async waitForProgressAfter(at: number, done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.finally(() => (finished = true));
    while (!finished && this.progressAfter(at) === undefined) await sleep(POLL_MS);
  }
}
