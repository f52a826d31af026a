import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Deployment } from '../src/deployment/catalogue';
import { buildPreflightReport, catalogueResources, type PreflightReport } from '../src/preflight/report';

const { checkCallerIdentity, describeTables, headBuckets, countTableItems, describeStack } = proxyActivities<Activities>({
  // Counting a big old user-storage table can take minutes; the heartbeat notices a dead worker.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** Read-only look at a deployment: identity, every catalogue table and bucket, the basic-ops stack. */
export async function preflightWorkflow(input: { deployment: Deployment }): Promise<PreflightReport> {
  const { deployment } = input;
  const resources = catalogueResources(deployment);
  const [caller, tables, buckets, oldUserStorageItems, basicOpsStack] = await Promise.all([
    checkCallerIdentity(),
    describeTables(resources.tables),
    headBuckets(resources.buckets),
    countTableItems(deployment.tables.OLD_USER_STORAGE_TABLE),
    describeStack(deployment.basicOpsStack),
  ]);
  return buildPreflightReport(deployment, { caller, tables, buckets, oldUserStorageItems, basicOpsStack });
}
