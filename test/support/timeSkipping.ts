/**
 * Workflow tests on Temporal's time-skipping test server, one per test file: the server
 * skips ahead through timers whenever the test waits on a workflow's result, so a gate's
 * poll or a long timeout costs nothing. The SDK would download the server at test time,
 * which these machines cannot reach; scripts/setup.sh installs the same server from Maven
 * Central and this module starts it as an existing executable.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { PROJECT_ROOT } from '../../client/projectRoot';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/searchAttributes';
import type { StubbedTemporal } from './stubbedActivities';
// Installs the test runtime's quiet logger before the environment creates the runtime.
import './temporal';

/** The launcher scripts/setup.sh writes. */
export const TEST_SERVER_LAUNCHER = path.join(PROJECT_ROOT, '.stack', 'temporal-test-server', 'temporal-test-server');

type SearchAttributeTypes = NonNullable<Parameters<Connection['operatorService']['addSearchAttributes']>[0]['searchAttributes']>;
/**
 * IndexedValueType (temporal.api.enums.v1) of the types SEARCH_ATTRIBUTE_FLAGS uses; the
 * proto package is not a direct dependency, so its two values are written out.
 */
const INDEXED_TYPES: Readonly<Record<string, SearchAttributeTypes[string]>> = { Keyword: 2, Bool: 5 };

export interface TimeSkippingTemporal extends Omit<StubbedTemporal, 'taskQueue'> {
  env: TestWorkflowEnvironment;
  close(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkippingTemporal> {
  if (!existsSync(TEST_SERVER_LAUNCHER)) {
    throw new Error(`no time-skipping test server at ${TEST_SERVER_LAUNCHER}: run scripts/setup.sh (it needs java and mvn)`);
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER_LAUNCHER } } });
  // The workflows set typed search attributes, which a server refuses until they are
  // registered (the dev server gets them as flags; this one only through the operator API).
  const searchAttributes: SearchAttributeTypes = {};
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) {
    const [name, type] = flag.split('=');
    const indexed = INDEXED_TYPES[type];
    if (indexed === undefined) throw new Error(`search attribute ${name}: no indexed type for ${type}`);
    searchAttributes[name] = indexed;
  }
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  return {
    env,
    client: env.client,
    nativeConnection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    close: () => env.teardown(),
  };
}
