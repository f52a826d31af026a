/** The shape of .stack/bench-results.json. */
import type { Floor } from './floor';
import type { BenchArgs } from './args';
import type { CopyFigures, PhaseDuration, ReadAmplification, TableCounterLine } from './figures';
import type { RunStats, WorkflowGroupStats } from './histories';
import type { CpuBreakdown } from './resources';
import type { MigrationReport } from '../../workflows/types';
import type { TargetLine } from './targets';
import type { WorkerMemory } from './workerProcess';

export interface BenchResults {
  measuredAt: string;
  /** Where DynamoDB ran; on dynoxide the run skips backups (it has none). */
  dynamodb: 'moto' | 'dynoxide';
  /** The minimal request set served raw by the same emulators (test/bench/floor.ts); ratio = floor ÷ migration wall time. Absent with --no-floor. */
  floor?: Floor & { ratio: number };
  backupsSkipped: boolean;
  /** AWS requests of the migration (plan, run and verification) by operation. */
  requests?: { total: number; perUser: number; byOperation: Record<string, number>; s3ByBucket?: Record<string, number> };
  /**
   * The run's ledger (issue 12): its PutObjects and their bytes, as a share of the migration's
   * AWS requests (when counted; the ledger's own puts are among them) and of the bytes it copied.
   */
  ledger: { requests: number; bytes: number; requestShare?: number; bytesCopied: number; byteShare?: number };
  /**
   * Where moto spent its time during the migration, by operation: moto serves one request at a
   * time (scripts/moto_serial_server.py), so the seconds add up to its busy time.
   */
  motoProfile?: Record<string, { requests: number; seconds: number }>;
  config: BenchArgs;
  seed: { seconds: number; items: number; tables: number; objects: number; outsiders: number };
  outcome: MigrationReport['outcome'];
  users: Omit<MigrationReport['users'], 'failedUsers'>;
  problems: number;
  verification?: MigrationReport['verification'];
  totalSeconds: number;
  issue3: {
    goal: number;
    run?: ReadAmplification;
    plan?: ReadAmplification;
    verification?: { itemsChecked: number; itemsStored: number; ratio: number };
  };
  issue4: CopyFigures;
  issue6: {
    migrationSeconds: number;
    activitiesScheduled: number;
    activitiesByType: Record<string, number>;
    totalEvents: number;
    childEvents: number;
    childEventsPerUser: number;
    userChildEventsPerUser: number;
    parentRuns: Pick<RunStats, 'runId' | 'events' | 'activitiesScheduled' | 'historyBytes'>[];
    parentLargestRunEvents: number;
    children: WorkflowGroupStats[];
    /** The worker's process, sampled from /proc while it migrates. */
    peakRssBytes: number;
    /** The worker's own sample at its highest RSS (absent from results before it was measured). */
    workerMemory?: WorkerMemory;
    /** The bench's own process (request log, proxies, report), over the same window. */
    benchPeakRssBytes: number;
  };
  phases: PhaseDuration[];
  cpu: CpuBreakdown;
  tableCounters: TableCounterLine[];
  /** Issue 9's targets, each with its figure (./targets.ts). */
  targets: TargetLine[];
}
