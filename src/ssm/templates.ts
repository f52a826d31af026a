/**
 * Template services: service folders that exist only to be copied when a new service is
 * created. `amplify-lambda-python-base` declares the literal `service: example-service`;
 * it is not a deployment and is not in `serverless-compose.yml`, yet the legacy script
 * populated it. We skip it unless asked.
 */

/** Resolved service names of the template services. */
export const TEMPLATE_SERVICES: readonly string[] = ['example-service'];

export function isTemplateService(service: string): boolean {
  return TEMPLATE_SERVICES.includes(service);
}

export function templateSkipReason(service: string): string {
  return `${service} is a template service (amplify-lambda-python-base), not a deployment and not in serverless-compose.yml: not populated; pass --include-template-services to populate it`;
}
