/**
 * Which AWS account, region and endpoint the workers use, as the run's own preflight found
 * it, compared with this client's: the client checks the deployment and stores the id map
 * with its credentials, the workers do everything else with theirs. Different accounts
 * mean the two are not looking at the same deployment.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { CallerFact } from '../src/preflight/report';
import { statusQuery } from '../workflows/messages';
import { describeWhere, endpointLabel, type AwsWhere } from './startChecks';

/** How long `start` waits for the run's preflight before saying where to look instead. */
const PREFLIGHT_WAIT_MS = 60_000;
const POLL_MS = 500;

export function workerWhere(caller: CallerFact): Pick<AwsWhere, 'account' | 'region' | 'endpoint'> {
  return { account: caller.account, region: caller.region ?? 'unknown', endpoint: endpointLabel(caller.endpoint) };
}

/** Lines comparing the workers' AWS with this client's: the description, then a warning per difference. */
export function compareAws(client: AwsWhere, caller: CallerFact): string[] {
  const workers = workerWhere(caller);
  const lines = [`AWS (workers): ${describeWhere(workers)} as ${caller.arn}`];
  if (workers.account !== client.account) {
    lines.push(
      `warning: the workers use AWS account ${workers.account}, this client account ${client.account}: this client checked the deployment and stored the id map in its own account`,
    );
  }
  if (caller.region !== undefined && caller.region !== client.region) lines.push(`warning: the workers use region ${caller.region}, this client ${client.region}`);
  if (caller.region !== undefined && workers.endpoint !== client.endpoint) lines.push(`warning: the workers use endpoint ${workers.endpoint}, this client ${client.endpoint}`);
  return lines;
}

/** Waits (bounded) for the run's preflight phase and prints where the workers talk to AWS. */
export async function reportWorkerAws(handle: WorkflowHandle, client: AwsWhere, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + PREFLIGHT_WAIT_MS;
  while (Date.now() < deadline) {
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status?.aws) {
      for (const line of compareAws(client, status.aws)) log(line);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  log(`AWS (workers): not known yet (the run's preflight has not finished); "amplify-migrate status --json" shows it as "aws"`);
}
