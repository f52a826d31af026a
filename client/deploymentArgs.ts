/** The flags every deployment-scoped command shares, and their translation into a Deployment. */
import type { Argv } from 'yargs';
import { buildDeployment, DeploymentNameError, overridesFromEnv, type Deployment } from '../src/deployment/catalogue';
import { CliError } from './exitCodes';

export interface DeploymentArgs {
  'dep-name': string;
  stage: string;
  region?: string;
}

export function withDeploymentArgs<T>(yargs: Argv<T>): Argv<T & DeploymentArgs> {
  return yargs
    .option('dep-name', { type: 'string', demandOption: true, describe: 'deployment name (the {d} in amplify-{d}-…)' })
    .option('stage', { type: 'string', demandOption: true, describe: 'stage (dev, staging, prod …)' })
    .option('region', { type: 'string', describe: 'AWS region (default: AWS_REGION)' }) as Argv<T & DeploymentArgs>;
}

export function deploymentFromArgs(args: DeploymentArgs): Deployment {
  if (args.region) process.env.AWS_REGION = args.region;
  try {
    return buildDeployment({ depName: args['dep-name'], stage: args.stage, region: args.region }, overridesFromEnv(process.env));
  } catch (err) {
    if (err instanceof DeploymentNameError) throw new CliError(err.message);
    throw err;
  }
}
