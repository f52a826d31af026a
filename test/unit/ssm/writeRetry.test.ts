/** Throttling backoff and the create race of writeParameters, with a scripted SSM client (no network). */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { createParameterStore } from '../../../activities/ssm';
import { withThrottleRetry } from '../../../activities/ssm/retry';

const fastRetry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

function awsError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

/** An SSM client whose responses are scripted per command name; records every call. */
function scriptedSsm(script: Record<string, Array<() => unknown>>) {
  const calls: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const next = script[name]?.shift();
      if (!next) throw new Error(`unexpected ${name}`);
      return next();
    },
  };
  return { client: client as unknown as SSMClient, calls };
}

const parameter = { name: '/amplify/qa/svc/A', value: 'new', description: 'Locally defined variable from svc service', service: 'svc' };

describe('SSM throttling and races', () => {
  it('retries ThrottlingException and TooManyUpdates, then succeeds', async () => {
    const outcomes = [awsError('ThrottlingException'), awsError('TooManyUpdates')];
    let calls = 0;
    const value = await withThrottleRetry(async () => {
      calls++;
      const error = outcomes.shift();
      if (error) throw error;
      return 'done';
    }, fastRetry);
    expect([value, calls]).toEqual(['done', 3]);
  });

  it('gives up after the last attempt, and never retries other errors', async () => {
    let throttled = 0;
    await expect(
      withThrottleRetry(async () => {
        throttled++;
        throw awsError('ThrottlingException');
      }, fastRetry),
    ).rejects.toThrow('ThrottlingException happened');
    expect(throttled).toBe(4);

    let denied = 0;
    await expect(
      withThrottleRetry(async () => {
        denied++;
        throw awsError('AccessDeniedException');
      }, fastRetry),
    ).rejects.toThrow('AccessDeniedException happened');
    expect(denied).toBe(1);
  });

  it('writes through a throttled PutParameter', async () => {
    const { client, calls } = scriptedSsm({
      GetParametersCommand: [() => ({ Parameters: [], InvalidParameters: [parameter.name] })],
      PutParameterCommand: [
        () => {
          throw awsError('TooManyUpdates');
        },
        () => ({ Version: 1 }),
      ],
    });
    const result = await createParameterStore({ ssm: client }, { retry: fastRetry }).writeParameters({ parameters: [parameter], dryRun: false });
    expect(result.total).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0, failed: 0 });
    expect(calls.map((c) => [c.command, c.input.Overwrite])).toEqual([
      ['GetParametersCommand', undefined],
      ['PutParameterCommand', false],
      ['PutParameterCommand', false],
    ]);
  });

  it('compares again instead of overwriting when someone created the parameter since it was read', async () => {
    const { client, calls } = scriptedSsm({
      GetParametersCommand: [
        () => ({ Parameters: [], InvalidParameters: [parameter.name] }),
        () => ({ Parameters: [{ Name: parameter.name, Value: 'new', Type: 'String' }], InvalidParameters: [] }),
      ],
      PutParameterCommand: [
        () => {
          throw awsError('ParameterAlreadyExists');
        },
      ],
    });
    const result = await createParameterStore({ ssm: client }, { retry: fastRetry }).writeParameters({ parameters: [parameter], dryRun: false });
    expect(result.outcomes).toEqual([{ name: parameter.name, service: 'svc', value: 'new', action: 'unchanged' }]);
    expect(calls.map((c) => c.command)).toEqual(['GetParametersCommand', 'PutParameterCommand', 'GetParametersCommand']);
  });

  it('reads in batches of 10 names', async () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ ...parameter, name: `/amplify/qa/svc/P${i}` }));
    const existing = (names: string[]) => () => ({ Parameters: names.map((Name) => ({ Name, Value: 'new', Type: 'String' })), InvalidParameters: [] });
    const { client, calls } = scriptedSsm({
      GetParametersCommand: [
        existing(many.slice(0, 10).map((p) => p.name)),
        existing(many.slice(10, 20).map((p) => p.name)),
        existing(many.slice(20).map((p) => p.name)),
      ],
    });
    const result = await createParameterStore({ ssm: client }, { retry: fastRetry }).writeParameters({ parameters: many, dryRun: false, concurrency: 1 });
    expect(result.total.unchanged).toBe(23);
    expect(calls.map((c) => (c.input.Names as string[]).length)).toEqual([10, 10, 3]);
  });
});
