/**
 * Every activity the worker registers, built from injected dependencies
 * (`createActivities(deps)`, as in temporalio/samples-typescript), so tests can pass
 * clients pointed at the moto server. The migration workflows see them only through the
 * MigrationActivities contract (activities/contract.ts), checked here at compile time.
 */
import type { AwsClients } from './aws/clients';
import type { MigrationActivities } from './contract';
import { createMigrationBackupActivities, defaultExportSettings, type ExportSettings } from './migration/backups';
import { createIdMapActivities } from './migration/idMap';
import { createObjectActivities, type ObjectSettings } from './migration/objects';
import { createRunActivities } from './migration/run';
import { createTableActivities, type TableSettings } from './migration/tables';
import { createUserActivities } from './migration/user';
import { IdMapCache } from './dynamo/idMapClaimCheck';
import { createPreflightActivities } from './preflight/activities';
import { createRevertActivities } from './ledger/revertActivities';
import { temporalLedgerResolver, type LedgerResolver } from './ledger/resolver';
import { createUdsActivities } from './uds';
import { atActivityEdge } from './failures';
import { keptAlive } from './keepalive';
import { onTheWire } from './wire';

export interface ActivityDeps {
  clients: AwsClients;
  /** S3 copy tuning (tests lower the multipart threshold to exercise UploadPartCopy). */
  objects?: ObjectSettings;
  /** Items per page and writes in flight per table activity (the fault harness uses 1 for a deterministic request order). */
  tables?: TableSettings;
  /** Steps (tables, sources) of one user's coarse activity in flight at once; the fault harness uses 1. */
  stepConcurrency?: number;
  /**
   * The one id-map cache every activity shares, so a big map is downloaded once per worker,
   * not once per activity. Default: a new one for these activities; a harness that counts
   * requests passes its own.
   */
  idMapCache?: IdMapCache;
  /**
   * Where the old user-storage table's export goes. The worker reads it from its environment
   * (worker/worker.ts); default: a local folder under the working directory, no bucket of its own.
   */
  exports?: ExportSettings;
  /**
   * Which ledger the write activities record to (issue 12). Default: the run's, named by the
   * migration's memo (none for a dry run or a workflow started without a run id). The bench
   * passes one that counts the ledger's requests and bytes.
   */
  ledger?: LedgerResolver;
}

export function createActivities(deps: ActivityDeps) {
  const { clients } = deps;
  const cache = deps.idMapCache ?? new IdMapCache();
  const ledger = deps.ledger ?? temporalLedgerResolver(clients);
  const migration: MigrationActivities = {
    ...createIdMapActivities(clients, cache),
    ...createRunActivities(clients, ledger),
    ...createMigrationBackupActivities(clients, deps.exports ?? defaultExportSettings()),
    ...createUdsActivities(clients, { idMapCache: cache, ledger, ...deps.tables }),
    ...createTableActivities(clients, { idMapCache: cache, ledger, ...deps.tables }),
    ...createObjectActivities(clients, { idMapCache: cache, ledger, ...deps.objects }),
    ...createUserActivities(clients, {
      idMapCache: cache,
      ledger,
      ...deps.tables,
      stepConcurrency: deps.stepConcurrency,
      copyConcurrency: deps.objects?.copyConcurrency,
      multipartThresholdBytes: deps.objects?.multipartThresholdBytes,
      partSizeBytes: deps.objects?.partSizeBytes,
    }),
  };
  // One edge for every registered activity: liveness, and errors no retry can fix made non-retryable.
  return keptAlive(atActivityEdge({ ...createPreflightActivities(clients), ...onTheWire(migration), ...onTheWire(createRevertActivities(clients)) }));
}

export type Activities = ReturnType<typeof createActivities>;
