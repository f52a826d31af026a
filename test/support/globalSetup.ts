/**
 * Starts one local stack (moto server + in-memory Temporal dev server) for the whole run
 * and exports its settings through process.env, which the test files read (jest runs them
 * in band, in this process). Also pre-bundles the workflow code once.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack, PROJECT_ROOT } from '../../client/stack/localStack';

export default async function globalSetup(): Promise<void> {
  const stack = await startLocalStack({ logDir: path.join(PROJECT_ROOT, '.stack', 'test-logs') });
  Object.assign(process.env, stack.env);
  (globalThis as { __LOCAL_STACK__?: typeof stack }).__LOCAL_STACK__ = stack;
  mkdirSync(path.join(PROJECT_ROOT, '.stack'), { recursive: true });
  writeFileSync(path.join(PROJECT_ROOT, '.stack', 'test-stack.json'), JSON.stringify(stack.env, null, 2));
}
