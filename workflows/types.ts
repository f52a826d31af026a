/** Inputs, state and results of the migration workflows (plain data: they travel in payloads). */
import type { CompactDeployment, Deployment, TableKey } from '../src/deployment/catalogue';
import type { IdPair } from '../src/idmap/types';
import type { CallerFact, PreflightReport } from '../src/preflight/report';
import type { Problem, Totals } from '../src/report/counters';

/** A claim check: the id map as a JSON object in S3, addressed by its content hash. */
export interface IdMapRef {
  bucket: string;
  key: string;
  sha256: string;
  count: number;
  changesAnyId: boolean;
}

export type OnConflict = 'skip' | 'overwrite' | 'fail';

export interface MigrationOptions {
  dryRun: boolean;
  onConflict: OnConflict;
  /** Per-user child workflows in flight at once (the sliding window). */
  userConcurrency: number;
  /** Parallel scan segments per scanned table. */
  scanSegments: number;
  /** Skip on-demand DynamoDB backups (loudly reported). */
  skipBackups: boolean;
  /** Approve every gate automatically (demo, CI). */
  autoApprove: boolean;
  /** Offer the cleanup phase (deleting verified-copied legacy objects) behind its own gate. */
  offerCleanup: boolean;
  /** How often to re-check for the consolidation bucket / user-data-storage table at the deployment gate. */
  deploymentPollSeconds: number;
  /** Continue-as-new once the parent's history has this many events (well under the 10k warning). */
  historyEventsBeforeContinueAsNew: number;
}

export interface SsmParameterInput {
  name: string;
  value: string;
  description: string;
  service: string;
}

export interface SkippedSsmService {
  service: string;
  file: string;
  reason: string;
}

export interface MigrationInput {
  runId: string;
  deployment: Deployment;
  /** Inline pairs for a map too small to need a claim check, or when the bucket does not exist yet. */
  idMapPairs?: IdPair[];
  idMapRef?: IdMapRef;
  options: MigrationOptions;
  /** Parameter Store population, parsed by the client from the serverless repository. */
  ssm?: {
    parameters: SsmParameterInput[];
    skipped: number;
    /** Whole services left out (template services), named in the Parameter Store plan with the reason. */
    skippedServices?: SkippedSsmService[];
  };
  /** Carried across continue-as-new (possibly written by an older version of this code). */
  state?: MigrationState & RetiredStateFields;
}

export type GateName = 'ssm' | 'migrate' | 'cleanup';

/**
 * The migration's phases in the order a run goes through them (workflows/migrationPhases.ts
 * holds the transitions). The write phases, run-wide → user-data-storage → users →
 * table-scans, run twice: the dry-run plan pass before approval-gate, the real pass after it.
 */
export const PHASE_ORDER = [
  'preflight',
  'ssm-plan',
  'ssm-gate',
  'ssm-write',
  'export',
  'deployment-gate',
  'backup',
  'run-wide',
  'user-data-storage',
  'users',
  'table-scans',
  'approval-gate',
  'verify',
  'report',
  'cleanup-gate',
  'cleanup',
  'done',
] as const;

/** 'rejected' ends a run at any gate, so it has no place in the order. */
export type Phase = (typeof PHASE_ORDER)[number] | 'rejected';

export interface UserProgress {
  total: number;
  done: number;
  failed: number;
  /** Offset of the next user to start (the sliding window's cursor). */
  nextIndex: number;
  /** Child workflow ids started and not yet reported. */
  inFlight: string[];
}

export interface BackupRecord {
  table: string;
  backupName: string;
  backupArn: string;
  status: string;
}

export interface VerificationResult {
  tablesChecked: number;
  itemsChecked: number;
  oldIdsLeft: number;
  /** Items left at their old key because their new key holds something else: the run's reported conflicts, not failures. */
  conflictsLeft?: number;
  objectsChecked: number;
  objectsMissing: number;
  problems: Problem[];
}

export interface MigrationState {
  phase: Phase;
  preflight?: PreflightReport;
  idMapRef?: IdMapRef;
  ssmPlan?: Totals;
  ssmResult?: Totals;
  export?: { location: string; items: number; sha256: string };
  backups: BackupRecord[];
  backupsSkipped: boolean;
  plan?: Totals;
  /** Which pass the write phases are in: the dry-run plan, or the real run. */
  pass: 'plan' | 'run';
  /** False when a run-wide copy failed: pointers into those objects then stay as they are. */
  bulkCopiesVerified: boolean;
  users: UserProgress;
  totals: Totals;
  failedUsers: { oldId: string; newId: string; reason: string }[];
  verification?: VerificationResult;
  reportLocation?: { bucket: string; key: string };
  rejected?: { gate: GateName; reason: string };
  phaseTimings: { phase: Phase; startedAt: number; endedAt?: number }[];
  continuedAsNew: number;
  /** The operator's pause, carried across continue-as-new (absent: not paused). */
  paused?: boolean;
  /**
   * The plan pass's per-user tables planned by one scan each instead of a query per user
   * (src/plan/userTablePlan.ts), and the users whose pointers stay (their own copies or
   * conversions planned a conflict or a failure). Absent: runs started before, or a real pass.
   */
  planScan?: PlanScan;
  /**
   * The approved pass's per-user tables done by one scan each, with real writes (the plan's
   * tables), and the users whose pointers stay in this pass. Decided at approval; no tables:
   * runs started before run-user-tables-by-scan, or a plan that planned every table per user.
   */
  runScan?: PlanScan;
}

export interface PlanScan {
  tables: TableKey[];
  pointersNotReady: string[];
}

/**
 * Fields older versions of the workflow wrote into the state they carried across
 * continue-as-new and no code reads any more. Accepted on input so such a run resumes;
 * not carried further.
 */
export interface RetiredStateFields {
  /** The run's start time (ms); phaseTimings has it. */
  startedAt?: number;
}

export interface UserMigrationInput {
  runId: string;
  parentWorkflowId: string;
  pass: 'plan' | 'run';
  index: number;
  user: IdPair;
  deployment: CompactDeployment;
  idMapRef: IdMapRef;
  bulkCopiesVerified: boolean;
  options: Pick<MigrationOptions, 'dryRun' | 'onConflict'>;
  /**
   * These of the user's tables are done by one scan each (the parent's), not by this child:
   * planned in the plan pass, and since the approved pass scans too, written in it.
   */
  tablesPlannedByScan?: TableKey[];
}

/** What a user's child returns: its totals reach the parent once, by signal. */
export type UserMigrationOutcome = Pick<UserMigrationResult, 'workflowId' | 'pass' | 'status'>;

export interface UserMigrationResult {
  workflowId: string;
  pass: 'plan' | 'run';
  user: IdPair;
  status: 'done' | 'failed';
  totals: Totals;
  /** Set when the child left tables to the parent's scans: whether this user's pointers move. */
  pointersReady?: boolean;
}

export interface TableScanInput {
  runId: string;
  table: TableKey;
  deployment: CompactDeployment;
  idMapRef: IdMapRef;
  segments: number;
  options: Pick<MigrationOptions, 'dryRun' | 'onConflict'>;
  /**
   * Set for the references pass of a per-user table: only items of users outside the map
   * are rewritten (src/rules/outsiders.ts); their pointers move only when the run-wide
   * copies were verified. Absent: the whole table, the whole map (a scanned table).
   */
  references?: { pointersReady: boolean };
  /**
   * Set for the plan of a per-user table by one scan: the items each user's query would find,
   * planned under that user's context (src/plan/userTablePlan.ts). Always a dry run.
   */
  planUsers?: { pointersReady: boolean; pointersNotReady: string[] };
  /** Set for the approved pass of such a table: the same items, written (options.dryRun is false). */
  runUsers?: { pointersReady: boolean; pointersNotReady: string[] };
}

/**
 * What `status` needs to draw a bar per sized quantity with a rate and an ETA. Derived from
 * the state whenever status is asked for (the query, the updates' replies): it issues no
 * command, so histories replay as before.
 */
export interface StatusProgress {
  /** When the current phase began (workflow time, ms since the epoch). */
  phaseStartedAt?: number;
  /** When this pass began copying and rewriting (its run-wide phase). */
  passStartedAt?: number;
  /**
   * What this pass is measured against: in the real pass, the dry-run plan's counts; in the
   * plan pass, the preflight's item-count estimate of the tables the run touches (items only).
   */
  expected?: { items?: number; objects?: number; bytes?: number; estimated: boolean };
}

export interface MigrationStatus {
  workflowId: string;
  runId: string;
  deployment: string;
  phase: Phase;
  /** The dry-run plan pass, or the real run. */
  pass: 'plan' | 'run';
  paused: boolean;
  awaitingGate?: GateName | 'deployed';
  waitingFor?: string;
  dryRun: boolean;
  users: Omit<UserProgress, 'inFlight'> & { inFlight: number; remaining: number };
  /** Absent from workers older than the field. */
  progress?: StatusProgress;
  conflicts: number;
  failures: number;
  totals: Totals;
  backups: number;
  rejected?: { gate: GateName; reason: string };
  /** The AWS account, region and endpoint the workers use (from this run's preflight). */
  aws?: CallerFact;
}

export interface MigrationReport {
  runId: string;
  deployment: { depName: string; stage: string };
  dryRun: boolean;
  outcome: 'succeeded' | 'succeeded-with-conflicts' | 'failed' | 'rejected' | 'dry-run';
  preflight?: PreflightReport;
  ssm?: Totals;
  export?: MigrationState['export'];
  backups: BackupRecord[];
  backupsSkipped: boolean;
  plan?: Totals;
  totals: Totals;
  users: { total: number; done: number; failed: number; failedUsers: { oldId: string; newId: string; reason: string }[] };
  verification?: VerificationResult;
  phaseTimings: MigrationState['phaseTimings'];
  rejected?: { gate: GateName; reason: string };
  /** How often the parent continued as new (its history stays bounded at any scale). */
  continuedAsNew: number;
}
