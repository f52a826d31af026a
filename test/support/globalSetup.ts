/**
 * Starts one local stack (moto server + in-memory Temporal dev server) for the whole run
 * and exports its settings through process.env, which the test files read (jest runs them
 * in band, in this process). Also bundles the workflow code once for every test file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack, PROJECT_ROOT } from '../../client/stack/localStack';
import { bundleWorkflows, WORKFLOW_BUNDLE_ENV } from './workflowBundle';

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

/**
 * Every test file that runs a worker needs the workflow bundle, and bundling (webpack) costs
 * seconds of CPU: it is made once here, while the servers start, and each file reads it
 * (test/support/temporal.ts). One file per jest run (its process id), so two runs in one tree
 * never read each other's.
 */
async function bundleOnce(): Promise<string> {
  const dir = path.join(PROJECT_ROOT, '.stack', 'test-bundles');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `workflows-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(await bundleWorkflows()));
  return file;
}

export default async function globalSetup(): Promise<void> {
  buildDist();
  const [stack, bundleFile] = await Promise.all([startLocalStack({ logDir: path.join(PROJECT_ROOT, '.stack', 'test-logs') }), bundleOnce()]);
  Object.assign(process.env, stack.env, { [WORKFLOW_BUNDLE_ENV]: bundleFile });
  Object.assign(globalThis, { __LOCAL_STACK__: stack, __WORKFLOW_BUNDLE__: bundleFile });
  mkdirSync(path.join(PROJECT_ROOT, '.stack'), { recursive: true });
  writeFileSync(path.join(PROJECT_ROOT, '.stack', 'test-stack.json'), JSON.stringify(stack.env, null, 2));
}
