/**
 * One user's migration as three coarse activities (objects, conversions, tables), each
 * running its steps concurrently inside with one checkpoint (./steps.ts). Three activities
 * per user and pass instead of about forty: orchestration stops costing as much as the AWS
 * work, and the per-table and per-bucket counters stay in the report as before.
 */
import { NoSuchBucket } from '@aws-sdk/client-s3';
import type { Deployment, TableKey } from '../../src/deployment/catalogue';
import type { IdPair } from '../../src/idmap/types';
import { perUserSources, perUserTables, USER_CONVERSIONS, type UserConversion } from '../../src/plan/steps';
import { emptyTotals, type Totals } from '../../src/report/counters';
import { listingPrefix, s3Source, type S3SourceName } from '../../src/s3layout/sources';
import type { IdMapRef, OnConflict } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import type { IdMapCache } from '../dynamo/idMapClaimCheck';
import { rewriteUserItems, type RewriteCounters, type WireCursor } from '../dynamo/rewrite';
import { copyPrefix, type CopyTotals } from '../s3/batch';
import { temporalLedgerResolver, type LedgerResolver } from '../ledger/resolver';
import { convertUserData } from '../uds/convertUserData';
import { runSteps } from './steps';
import { anyTableRule } from './tables';
import { fromCopyTotals, fromRewriteCounters } from './totals';

export interface UserStepsInput {
  deployment: Deployment;
  user: IdPair;
  idMapRef: IdMapRef;
  dryRun: boolean;
  onConflict: OnConflict;
}

export interface UserActivitySettings {
  idMapCache: IdMapCache;
  /** Sources, conversions or tables of one user in flight at once (the fault harness uses 1). */
  stepConcurrency?: number;
  /** Copies in flight per source, items written at once per table. */
  copyConcurrency?: number;
  concurrency?: number;
  pageSize?: number;
  multipartThresholdBytes?: number;
  partSizeBytes?: number;
  /** Which ledger a write activity records to (issue 12); default: the run's, found from the migration's memo. */
  ledger?: LedgerResolver;
}

/** Tables of one user rewritten at once: bounded so one user cannot hog a table's capacity. */
const TABLES_IN_PARALLEL = 6;
const DEFAULT_PAGE_SIZE = 200;

const claim = (ref: IdMapRef) => ({ bucket: ref.bucket, key: ref.key, sha256: ref.sha256 });

export function createUserActivities(clients: AwsClients, settings: UserActivitySettings) {
  const ids = (ref: IdMapRef) => settings.idMapCache.resolve(clients, claim(ref));
  const width = (natural: number) => settings.stepConcurrency ?? natural;
  const resolveLedger = settings.ledger ?? temporalLedgerResolver(clients);

  return {
    /** Every per-user S3 source of the user, copied and verified. */
    async migrateUserObjects(input: UserStepsInput): Promise<Totals> {
      const map = await ids(input.idMapRef);
      const sources = perUserSources();
      // The run's ledger (issue 12): each page's copies are recorded as intents before they are made.
      const ledger = await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun });
      return runSteps<{ cursor: string; totals: CopyTotals }>(
        sources.map((s) => s.name),
        width(sources.length),
        async (step) => {
          const source = s3Source(step.name as S3SourceName);
          try {
            const result = await copyPrefix(
              clients,
              {
                sourceBucket: input.deployment.buckets[source.bucket],
                destBucket: input.deployment.buckets[source.destinationBucket],
                prefix: listingPrefix(source, input.user.oldId),
                destinationKey: (key) => source.destinationKey(key, map),
                startAfter: step.resume?.cursor,
                initialTotals: step.resume?.totals,
                onProgress: (progress) => step.progress(progress),
                dryRun: input.dryRun,
                concurrency: settings.copyConcurrency,
                multipartThresholdBytes: settings.multipartThresholdBytes,
                partSizeBytes: settings.partSizeBytes,
                ledger,
              },
              { abortSignal: step.abortSignal, copiedSinceMs: step.copiedSinceMs },
            );
            return fromCopyTotals(source.bucket, result, input.user.oldId);
          } catch (err) {
            // A legacy bucket this deployment never had holds nothing to copy.
            if (err instanceof NoSuchBucket || (err as { name?: string }).name === 'NoSuchBucket') return emptyTotals();
            throw err;
          }
        },
        (name) => ({ where: s3Source(name as S3SourceName).bucket, user: input.user.oldId }),
      );
    },

    /** The conversions into USER_DATA_STORAGE, in the legacy order (each reads rows by the old id). */
    async convertUser(input: UserStepsInput): Promise<Totals> {
      // The run's ledger (issue 12): each conversion records the items it creates before putting them.
      const ledger = await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun });
      return runSteps<never>(
        USER_CONVERSIONS,
        1,
        (step) =>
          convertUserData(
            clients,
            { ...input, conversion: step.name as UserConversion },
            { abortSignal: step.abortSignal, idMapCache: settings.idMapCache, ledger },
          ),
        (name) => ({ where: name, user: input.user.oldId }),
      );
    },

    /**
     * Every per-user table (key or GSI queries), or only `tables` of them (a plan whose other
     * tables are planned by one scan each); pointers move only when `pointersReady`.
     */
    async rewriteUserTables(input: UserStepsInput & { pointersReady: boolean; tables?: TableKey[] }): Promise<Totals> {
      const map = await ids(input.idMapRef);
      const tables = input.tables ?? perUserTables(input.user);
      // The run's ledger (issue 12): the engine records each page's writes before making them.
      const ledger = await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun });
      return runSteps<{ cursor: WireCursor | null; counters: RewriteCounters; ledgerMark?: string }>(
        tables,
        width(TABLES_IN_PARALLEL),
        async (step) => {
          const table = step.name as (typeof tables)[number];
          // An earlier attempt read this table's last page (cursor null) but its "step done" never
          // reached the server: the counts stand. Starting over would read the table again and
          // count twice what a dry run finds again (a real pass finds moved items gone).
          if (step.resume?.cursor === null) return fromRewriteCounters(table, step.resume.counters, input.user.oldId);
          const counters = await rewriteUserItems(clients, {
            table: input.deployment.tables[table],
            tableKey: table,
            rule: anyTableRule(table)!,
            ids: map,
            oldId: input.user.oldId,
            context: { pointersReady: input.pointersReady, consolidationBucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME },
            dryRun: input.dryRun,
            onConflict: input.onConflict,
            cursor: step.resume?.cursor ?? undefined,
            counters: step.resume?.counters,
            resumed: step.retried ? { ledgerMark: step.resume?.ledgerMark } : undefined,
            pageSize: settings.pageSize ?? DEFAULT_PAGE_SIZE,
            concurrency: settings.concurrency,
            abortSignal: step.abortSignal,
            onProgress: (cursor, progress, ledgerMark) => step.progress({ cursor: cursor ?? null, counters: progress, ...(ledgerMark ? { ledgerMark } : {}) }),
            ledger,
          });
          return fromRewriteCounters(table, counters, input.user.oldId);
        },
        (name) => ({ where: name, user: input.user.oldId }),
      );
    },
  };
}
