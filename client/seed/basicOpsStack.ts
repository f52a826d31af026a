/**
 * The removed basic-ops service's CloudFormation stack, still deployed: its API owns the
 * `/user-data` path that the new amplify-lambda claims (the deploy fails with
 * "Another resource with the same parent already has this name: user-data").
 * Minimal: a REST API with that one resource.
 */
import { CreateStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../../activities/aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';

export function basicOpsTemplate(deployment: Deployment): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `amplify-${deployment.depName}-lambda-basic-ops (sample): the legacy /user-data API`,
    Resources: {
      ApiGatewayRestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: `${deployment.stage}-amplify-${deployment.depName}-lambda-basic-ops` } },
      ApiGatewayResourceUserDashdata: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          RestApiId: { Ref: 'ApiGatewayRestApi' },
          ParentId: { 'Fn::GetAtt': ['ApiGatewayRestApi', 'RootResourceId'] },
          PathPart: 'user-data',
        },
      },
    },
    Outputs: { UserDataPath: { Value: '/user-data' } },
  });
}

export async function createBasicOpsStack(clients: AwsClients, deployment: Deployment): Promise<string> {
  const StackName = deployment.basicOpsStack;
  try {
    await clients.cloudFormation.send(new CreateStackCommand({ StackName, TemplateBody: basicOpsTemplate(deployment) }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'AlreadyExistsException') throw err;
  }
  await waitUntilStackCreateComplete({ client: clients.cloudFormation, maxWaitTime: 120 }, { StackName });
  return StackName;
}
