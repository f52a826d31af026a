/**
 * AWS SDK v3 clients, configured the SDK's own way: AWS_REGION / AWS_PROFILE / the default
 * credential chain, and AWS_ENDPOINT_URL for an emulator (the moto server). With no endpoint
 * set the same code talks to real AWS.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClients {
  region: string;
  /** The custom endpoint (an emulator), when one is set; undefined for AWS's own endpoints. */
  endpoint?: string;
  dynamo: DynamoDBClient;
  s3: S3Client;
  ssm: SSMClient;
  sts: STSClient;
  cognito: CognitoIdentityProviderClient;
  cloudFormation: CloudFormationClient;
}

export interface AwsSettings {
  region?: string;
  /** Overrides AWS_ENDPOINT_URL (tests pass the moto endpoint explicitly). */
  endpoint?: string;
  /** Overrides AWS_ENDPOINT_URL_DYNAMODB: DynamoDB on another emulator than the rest. */
  dynamoEndpoint?: string;
  /** Adaptive retry mode backs off on throttling; attempts include the first call. */
  maxAttempts?: number;
}

/** Socket inactivity after which a request is abandoned and retried. */
export const REQUEST_IDLE_TIMEOUT_MS = 120_000;

export function createAwsClients(settings: AwsSettings = {}): AwsClients {
  const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = settings.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const dynamoEndpoint = settings.dynamoEndpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const common = {
    region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: settings.maxAttempts ?? 8,
    retryMode: 'adaptive' as const,
    // A request that hangs fails (and is retried) instead of holding its activity forever:
    // activities heartbeat on a timer (activities/keepalive.ts), so only this notices a stuck
    // call. The request timeout is socket inactivity; S3 keeps a long CopyObject's socket alive.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: REQUEST_IDLE_TIMEOUT_MS },
  };
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    // DynamoDB may live elsewhere (dynoxide beside moto): the SDK's own service-specific variable.
    dynamo: new DynamoDBClient({ ...common, ...(dynamoEndpoint ? { endpoint: dynamoEndpoint } : {}) }),
    // Emulators serve buckets by path, not by virtual host.
    s3: new S3Client({ ...common, forcePathStyle: Boolean(endpoint) }),
    ssm: new SSMClient(common),
    sts: new STSClient(common),
    cognito: new CognitoIdentityProviderClient(common),
    cloudFormation: new CloudFormationClient(common),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  for (const client of [clients.dynamo, clients.s3, clients.ssm, clients.sts, clients.cognito, clients.cloudFormation]) {
    client.destroy();
  }
}
