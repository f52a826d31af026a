/**
 * The USER_DATA_STORAGE activities (MigrationActivities in activities/contract.ts): the
 * plain functions bound to the Temporal activity context: resume from the last
 * heartbeat's details, heartbeat after every page, cancellation passed to every AWS call.
 * Errors no retry can fix become non-retryable failures at the activity edge (activities/failures.ts).
 */
import { Context } from '@temporalio/activity';
import type { AwsClients } from '../aws/clients';
import type { MigrationActivities, SegmentInput } from '../contract';
import type { IdMapCache } from '../dynamo/idMapClaimCheck';
import { temporalLedgerResolver, type LedgerResolver } from '../ledger/resolver';
import type { Totals } from '../../src/report/counters';
import { convertUserData, type ConvertUserDataInput } from './convertUserData';
import { migrateUserDataStorageSegment, type Step1Progress } from './step1';
import { importOldUserStorageSegment, type ImportOldUserStorageInput, type Step2Progress } from './step2';

export interface UdsActivityOptions {
  /** The worker's one id-map cache (created where the activities are composed, activities/index.ts). */
  idMapCache: IdMapCache;
  pageSize?: number;
  concurrency?: number;
  /** Which ledger the writes record to (issue 12); default: the run's, found from the migration's memo. */
  ledger?: LedgerResolver;
}

type UdsActivities = Pick<MigrationActivities, 'migrateUserDataStorageSegment' | 'importOldUserStorageSegment' | 'convertUserData'>;

export function createUdsActivities(clients: AwsClients, options: UdsActivityOptions): UdsActivities {
  const resolveLedger = options.ledger ?? temporalLedgerResolver(clients);
  async function bound<P>(input: SegmentInput) {
    const ctx = Context.current();
    return {
      ledger: await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun }),
      resumeFrom: ctx.info.heartbeatDetails as P | undefined,
      retried: ctx.info.attempt > 1,
      onProgress: (progress: P) => ctx.heartbeat(progress),
      abortSignal: ctx.cancellationSignal,
      idMapCache: options.idMapCache,
      pageSize: options.pageSize,
      concurrency: options.concurrency,
    };
  }

  return {
    migrateUserDataStorageSegment: async (input: SegmentInput): Promise<Totals> =>
      migrateUserDataStorageSegment(clients, input, await bound<Step1Progress>(input)),

    importOldUserStorageSegment: async (input: ImportOldUserStorageInput): Promise<Totals> =>
      importOldUserStorageSegment(clients, input, await bound<Step2Progress>(input)),

    convertUserData: async (input: ConvertUserDataInput): Promise<Totals> => {
      const ctx = Context.current();
      const ledger = await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun });
      // Idempotent per user: a retry starts over and finds its own items in place.
      return convertUserData(clients, input, { abortSignal: ctx.cancellationSignal, idMapCache: options.idMapCache, onProgress: () => ctx.heartbeat(), ledger });
    },
  };
}
