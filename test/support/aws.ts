/** Test helpers for the moto server started by globalSetup. */
import { randomBytes } from 'node:crypto';
import { createAwsClients, type AwsClients } from '../../activities/aws/clients';

export function testAwsClients(): AwsClients {
  if (!process.env.AWS_ENDPOINT_URL) throw new Error('AWS_ENDPOINT_URL not set: run the tests through jest (globalSetup starts moto)');
  return createAwsClients({ endpoint: process.env.AWS_ENDPOINT_URL, region: 'us-east-1' });
}

/** A fresh deployment name per test file, so files sharing one moto server never collide. */
export function uniqueDepName(prefix = 't'): string {
  return `${prefix}${randomBytes(3).toString('hex')}`;
}

/** Resets the whole moto server (all services). Prefer uniqueDepName; this is for tests that list everything. */
export async function resetMoto(): Promise<void> {
  await fetch(`${process.env.AWS_ENDPOINT_URL}/moto-api/reset`, { method: 'POST' });
}
