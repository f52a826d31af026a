/**
 * The workflow bundle for test workers. Bundling (webpack) costs seconds of CPU, so globalSetup
 * makes it once per jest run and names the file in WORKFLOW_BUNDLE_ENV; test/support/temporal.ts
 * reads it. This module installs no Temporal runtime, so globalSetup can load it.
 */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker';

/** Where globalSetup leaves the bundle it made for this jest run. */
export const WORKFLOW_BUNDLE_ENV = 'AMPLIFY_MIGRATE_TEST_WORKFLOW_BUNDLE';

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} } as never });
}
