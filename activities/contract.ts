/**
 * The activities the migration workflows call, as one interface. Workflows import only this
 * type (and the preflight ones); activities/migration/* implements it over the engines.
 * Every result is a small Totals (counters plus a capped problem list), never data.
 */
import type { BucketKey, CompactDeployment, Deployment, TableKey } from '../src/deployment/catalogue';
import type { IdPair } from '../src/idmap/types';
import type { Totals } from '../src/report/counters';
import type { S3SourceName } from '../src/s3layout/sources';
import type { UserConversion } from '../src/plan/steps';
import type { BackupRecord, IdMapRef, MigrationReport, OnConflict, SkippedSsmService, SsmParameterInput, VerificationResult } from '../workflows/types';

export interface WriteOptions {
  dryRun: boolean;
  onConflict: OnConflict;
}

export interface SegmentInput extends WriteOptions {
  deployment: Deployment;
  idMapRef: IdMapRef;
  segment: number;
  totalSegments: number;
}

/** One scan segment of a per-user table, every user's part: the items each user's query would find, under that user's context. */
export interface UsersTableSegmentInput extends SegmentInput {
  table: TableKey;
  /** The run's bulkCopiesVerified. */
  pointersReady: boolean;
  /** Old ids of the users whose own copies or conversions had a conflict or failure in this pass: their pointers stay. */
  pointersNotReady: string[];
}

export type { UserConversion };

export interface MigrationActivities {
  /** Stores the id map as a claim check in the consolidation bucket (idempotent by content hash). */
  storeIdMap(input: { bucket: string; pairs: IdPair[] }): Promise<IdMapRef>;
  loadIdMapPage(input: { ref: IdMapRef; offset: number; limit: number }): Promise<IdPair[]>;

  /** `ledgerBucket`: where the run's ledger lives (optional: the activity otherwise finds it in the migration's memo). */
  writeSsmParameters(input: { parameters: SsmParameterInput[]; skippedServices?: SkippedSsmService[]; dryRun: boolean; ledgerBucket?: string }): Promise<Totals>;

  /** Lossless export of the old basic-ops user-storage table, before its stack is removed. */
  exportOldUserStorage(input: { deployment: Deployment; runId: string }): Promise<{ location: string; items: number; sha256: string } | undefined>;
  /** Required resources still missing (config keys). */
  missingPrerequisites(input: { deployment: Deployment }): Promise<string[]>;

  startBackups(input: { deployment: Deployment; runId: string; tables: TableKey[] }): Promise<BackupRecord[]>;
  awaitBackups(input: { backups: BackupRecord[] }): Promise<BackupRecord[]>;

  /** USER_DATA_STORAGE step 1: ids in existing items (one scan segment). */
  migrateUserDataStorageSegment(input: SegmentInput): Promise<Totals>;
  /** USER_DATA_STORAGE step 2: the old basic-ops table (live, or its export) imported with id translation. */
  importOldUserStorageSegment(input: SegmentInput & { exportLocation?: string }): Promise<Totals>;

  /** One user's objects, conversions and table rewrites: three coarse activities per pass (activities/migration/user.ts). */
  migrateUserObjects(input: WriteOptions & { deployment: Deployment; user: IdPair; idMapRef: IdMapRef }): Promise<Totals>;
  convertUser(input: WriteOptions & { deployment: Deployment; user: IdPair; idMapRef: IdMapRef }): Promise<Totals>;
  /** `tables`: only these of the user's tables (a plan whose others are planned by one scan each). */
  rewriteUserTables(input: WriteOptions & { deployment: Deployment; user: IdPair; idMapRef: IdMapRef; pointersReady: boolean; tables?: TableKey[] }): Promise<Totals>;

  /** The fine-grained per-user activities of runs started before the coarse grain (kept so they replay and finish). */
  copyUserObjects(input: WriteOptions & { deployment: Deployment; source: BucketKey; sourceName: S3SourceName; user: IdPair; idMapRef: IdMapRef }): Promise<Totals>;
  rewriteUserTable(
    input: WriteOptions & { deployment: Deployment; table: TableKey; user: IdPair; idMapRef: IdMapRef; pointersReady: boolean },
  ): Promise<Totals>;
  convertUserData(input: WriteOptions & { deployment: Deployment; conversion: UserConversion; user: IdPair; idMapRef: IdMapRef }): Promise<Totals>;

  /** One segment of a once-per-run scan; with `references`, of a per-user table's references pass (items of users outside the map). */
  rewriteTableSegment(input: SegmentInput & { table: TableKey; references?: { pointersReady: boolean } }): Promise<Totals>;
  /** The plan (a dry run) of a per-user table from one scan segment: what every user's query would find and rewrite. */
  planUserTableSegment(input: Omit<UsersTableSegmentInput, 'dryRun'>): Promise<Totals>;
  /** The approved pass of such a table: every user's part from one scan segment, written. */
  rewriteUsersTableSegment(input: UsersTableSegmentInput): Promise<Totals>;
  copyBulkObjects(input: WriteOptions & { deployment: Deployment; sourceName: S3SourceName; idMapRef: IdMapRef }): Promise<Totals>;

  verifyTableSegment(input: { deployment: Deployment; table: TableKey; idMapRef: IdMapRef; segment: number; totalSegments: number }): Promise<VerificationResult>;
  verifyObjects(input: { deployment: Deployment; sourceName: S3SourceName; idMapRef: IdMapRef; users?: IdPair[] }): Promise<VerificationResult>;

  writeReport(input: { bucket: string; report: MigrationReport }): Promise<{ bucket: string; key: string }>;
  cleanupSource(input: { deployment: Deployment; sourceName: S3SourceName; idMapRef: IdMapRef }): Promise<Totals>;
}

/**
 * Activity inputs as they travel through Temporal: the deployment compacted to its ref and
 * overrides (src/deployment/catalogue.ts compactDeployment). Every history event of every
 * activity would otherwise carry all 58 physical names; the worker expands them back.
 */
type WireInput<I> = I extends { deployment: Deployment } ? Omit<I, 'deployment'> & { deployment: CompactDeployment } : I;
export type OnTheWire<A> = {
  [K in keyof A]: A[K] extends (input: infer I) => infer R ? (input: WireInput<I>) => R : A[K];
};
