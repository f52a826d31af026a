/**
 * The ledger resolver's cache of root memos must not keep finished activities alive (issue 9).
 * A promise made inside an activity carries the activity's async context (its Context, input,
 * abort controller and logger); cached for the run, such promises held one finished activity
 * per user child, about 10 KiB a user, in the worker's heap.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAwsClients, destroyAwsClients } from '../../../activities/aws/clients';
import { temporalLedgerResolver } from '../../../activities/ledger/resolver';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A client whose only call is the resolver's: the root's memo names a run and its ledger bucket. */
function memoClient(describes: string[]): Client {
  const workflow = {
    getHandle: (workflowId: string) => ({
      describe: async () => {
        describes.push(workflowId);
        return { memo: { runId: 'run-1', ledgerBucket: 'ledger-bucket' } };
      },
    }),
  };
  // The worker ties a real client's calls to the activity's abort signal.
  const withAbortSignal = <T>(_signal: AbortSignal, fn: () => Promise<T>) => fn();
  return { workflow, withAbortSignal } as unknown as Client;
}

it('resolves a ledger per workflow execution, describing its root once, and lets each finished activity go', async () => {
  const clients = createAwsClients({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
  const resolve = temporalLedgerResolver(clients);
  const describes: string[] = [];
  const contexts: WeakRef<Context>[] = [];
  const activity = async (workflowId: string) => {
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId, runId: `${workflowId}-run` } }, { client: memoClient(describes) });
    return env.run(async () => {
      contexts.push(new WeakRef(Context.current()));
      return (await resolve({ bucket: 'input-bucket', dryRun: false })) !== undefined;
    });
  };
  try {
    for (const user of ['u1', 'u2', 'u3']) {
      expect(await activity(`migration-d-s/run/${user}`)).toBe(true);
      // A second activity of the same child: its root is not described again.
      expect(await activity(`migration-d-s/run/${user}`)).toBe(true);
    }
    expect(describes).toEqual(['migration-d-s', 'migration-d-s', 'migration-d-s']);
    expect(await resolve({ bucket: 'input-bucket', dryRun: true })).toBeUndefined();

    for (let round = 0; round < 3 && contexts.some((c) => c.deref() !== undefined); round++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(contexts.filter((c) => c.deref() !== undefined)).toHaveLength(0);
  } finally {
    destroyAwsClients(clients);
  }
});
