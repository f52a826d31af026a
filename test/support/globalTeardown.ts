import { rmSync } from 'node:fs';
import type { LocalStack } from '../../client/stack/localStack';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as { __LOCAL_STACK__?: LocalStack; __WORKFLOW_BUNDLE__?: string };
  await globals.__LOCAL_STACK__?.stop();
  if (globals.__WORKFLOW_BUNDLE__) rmSync(globals.__WORKFLOW_BUNDLE__, { force: true });
}
