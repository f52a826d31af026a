/** Parameter paths, descriptions and the shared allow-list of the legacy populate script. */

/** The `service` label of the shared (var-file) parameters; parentheses never occur in a service name. */
export const SHARED_SERVICE = '(shared)';

export const SHARED_DESCRIPTION = 'Shared variable used across all services';

export function localDescription(service: string): string {
  return `Locally defined variable from ${service} service`;
}

export function stagePrefix(stage: string): string {
  return `/amplify/${stage}/`;
}

export function sharedParameterName(stage: string, name: string): string {
  return `/amplify/${stage}/${name}`;
}

export function serviceParameterPrefix(stage: string, service: string): string {
  return `/amplify/${stage}/${service}/`;
}

export function serviceParameterName(stage: string, service: string, variable: string): string {
  return `${serviceParameterPrefix(stage, service)}${variable}`;
}

/** Var-file keys copied to `/amplify/{stage}/{KEY}` when present, in the legacy order (26). */
export const SHARED_ALLOW_LIST: readonly string[] = [
  'ADMINS',
  'API_GATEWAY_MAX_TIMEOUT_MS',
  'CHANGE_SET_BOOLEAN',
  'CUSTOM_API_DOMAIN',
  'DEP_REGION',
  'IDP_PREFIX',
  'LOG_LEVEL',
  'OAUTH_AUDIENCE',
  'OAUTH_ISSUER_BASE_URL',
  'PANDOC_LAMBDA_LAYER_ARN',
  'ASSISTANTS_OPENAI_PROVIDER',
  'LLM_ENDPOINTS_SECRETS_NAME_ARN',
  'BEDROCK_GUARDRAIL_ID',
  'BEDROCK_GUARDRAIL_VERSION',
  'COGNITO_CLIENT_ID',
  'COGNITO_USER_POOL_ID',
  'ORGANIZATION_EMAIL_DOMAIN',
  'API_VERSION',
  'MAX_ACU',
  'MIN_ACU',
  'PRIVATE_SUBNET_ONE',
  'PRIVATE_SUBNET_TWO',
  'VPC_CIDR',
  'VPC_ID',
  'EMBEDDING_DIM',
  'RAG_POSTGRES_DB_PORT',
];

/** The four values the legacy derives from stage and dep name, ignoring the var file. */
export function hardCodedSharedValues(stage: string, depName: string): Array<[string, string]> {
  return [
    ['LLM_ENDPOINTS_SECRETS_NAME', `${stage}-openai-endpoints`],
    ['SECRETS_ARN_NAME', `${stage}-amplify-app-secrets`],
    ['APP_ARN_NAME', `${stage}-amplify-app-vars`],
    ['OAUTH_ENCRYPTION_PARAMETER', `/amplify-${depName}-assistants-api/${stage}/oauth/integrations/encryption`],
  ];
}

/** Characters SSM accepts in one path segment of a parameter name. */
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

export function isValidNameSegment(segment: string): boolean {
  return SEGMENT.test(segment);
}

export function varFilePath(stage: string): string {
  return `var/${stage}-var.yml`;
}
