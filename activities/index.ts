/**
 * Every activity the worker registers, built from injected dependencies
 * (`createActivities(deps)`, as in temporalio/samples-typescript), so tests can pass
 * clients pointed at the moto server. The migration workflows see them only through the
 * MigrationActivities contract (activities/contract.ts), checked here at compile time.
 */
import type { AwsClients } from './aws/clients';
import type { MigrationActivities } from './contract';
import { createMigrationBackupActivities } from './migration/backups';
import { createIdMapActivities, idMapCache } from './migration/idMap';
import { createObjectActivities, type ObjectSettings } from './migration/objects';
import { createRunActivities } from './migration/run';
import { createTableActivities } from './migration/tables';
import { createPreflightActivities } from './preflight/activities';
import { createUdsActivities } from './uds';
import { onTheWire } from './wire';

export interface ActivityDeps {
  clients: AwsClients;
  /** S3 copy tuning (tests lower the multipart threshold to exercise UploadPartCopy). */
  objects?: ObjectSettings;
}

export function createActivities(deps: ActivityDeps) {
  const { clients } = deps;
  const migration: MigrationActivities = {
    ...createIdMapActivities(clients),
    ...createRunActivities(clients),
    ...createMigrationBackupActivities(clients),
    ...createUdsActivities(clients, { idMapCache }),
    ...createTableActivities(clients),
    ...createObjectActivities(clients, deps.objects),
  };
  return { ...createPreflightActivities(clients), ...onTheWire(migration) };
}

export type Activities = ReturnType<typeof createActivities>;
