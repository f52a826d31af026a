/**
 * Every activity the worker registers, built from injected dependencies
 * (`createActivities(deps)`, as in temporalio/samples-typescript), so tests can pass
 * clients pointed at the moto server.
 */
import type { AwsClients } from './aws/clients';
import { createPreflightActivities } from './preflight/activities';

export interface ActivityDeps {
  clients: AwsClients;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPreflightActivities(deps.clients),
  };
}

export type Activities = ReturnType<typeof createActivities>;
