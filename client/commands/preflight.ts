import type { CommandModule } from 'yargs';
import { WorkflowFailedError } from '@temporalio/client';
import { clientTaskQueue, connectClient, hasWorkers } from '../temporal';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { CliError, EXIT } from '../exitCodes';
import type { PreflightReport } from '../../src/preflight/report';
import { renderPreflight } from '../render/preflight';
import type { Deployment } from '../../src/deployment/catalogue';
import type { Client } from '@temporalio/client';
import { createAwsClients } from '../../activities/aws/clients';
import { clientAwsWhere, describeWhere } from '../startChecks';
import { compareAws } from '../workerAws';

export async function runPreflight(client: Client, deployment: Deployment): Promise<PreflightReport> {
  try {
    return await client.workflow.execute('preflightWorkflow', {
      taskQueue: clientTaskQueue(),
      workflowId: `preflight-${deployment.depName}-${deployment.stage}-${Date.now()}`,
      args: [{ deployment }],
      workflowExecutionTimeout: '10 minutes',
    });
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      throw new CliError(`preflight failed: ${rootCauseMessage(err)}`, EXIT.failed);
    }
    throw err;
  }
}

export function rootCauseMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}

export const preflightCommand: CommandModule<object, DeploymentArgs & { json?: boolean }> = {
  command: 'preflight',
  describe: 'Check a deployment before a migration: identity, tables, buckets, the basic-ops stack',
  builder: (y) => withDeploymentArgs(y).option('json', { type: 'boolean', describe: 'print the report as JSON' }),
  handler: async (args) => {
    const deployment = deploymentFromArgs(args);
    const { client, close } = await connectClient();
    try {
      if (!(await hasWorkers(client))) {
        throw new CliError(`no worker is polling task queue "${clientTaskQueue()}": start one with "amplify-migrate worker"`, EXIT.failed);
      }
      const report = await runPreflight(client, deployment);
      // The report is the workers' view; this client's own AWS is compared with it (a different account is warned).
      const own = await clientAwsWhere(createAwsClients(), "preflight compares it with the workers'").catch((err: Error) => err.message);
      const comparison = typeof own === 'string' ? [`note: ${own}`] : compareAws(own, report.caller).slice(1);
      if (args.json) console.log(JSON.stringify({ ...report, client: typeof own === 'string' ? { error: own } : own }, null, 2));
      else console.log([renderPreflight(report), ...(typeof own === 'string' ? [] : [`AWS (this client): ${describeWhere(own)} as ${own.arn}`]), ...comparison].join('\n'));
      if (!report.ready) process.exitCode = EXIT.prerequisitesMissing;
    } finally {
      await close();
    }
  },
};
