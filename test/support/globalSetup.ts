/**
 * Starts one local stack (moto server + in-memory Temporal dev server) for the whole run
 * and exports its settings through process.env, which the test files read (jest runs them
 * in band, in this process). Also pre-bundles the workflow code once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack, PROJECT_ROOT } from '../../client/stack/localStack';

/**
 * Tests that spawn bin/amplify-migrate run the compiled dist/: bring it up to date with the
 * sources first (a no-op when current), so `npx jest <file>` never tests stale JavaScript.
 * Type errors do not stop the tests (tsc still emits; `npm test` type-checks on its own).
 */
function buildDist(): void {
  try {
    execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'build.sh')], { stdio: 'inherit' });
  } catch (err) {
    if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'client', 'cli.js'))) throw err;
    console.warn('[globalSetup] dist/ compiled with type errors; the CLI tests run what tsc emitted');
  }
}

export default async function globalSetup(): Promise<void> {
  buildDist();
  const stack = await startLocalStack({ logDir: path.join(PROJECT_ROOT, '.stack', 'test-logs') });
  Object.assign(process.env, stack.env);
  (globalThis as { __LOCAL_STACK__?: typeof stack }).__LOCAL_STACK__ = stack;
  mkdirSync(path.join(PROJECT_ROOT, '.stack'), { recursive: true });
  writeFileSync(path.join(PROJECT_ROOT, '.stack', 'test-stack.json'), JSON.stringify(stack.env, null, 2));
}
