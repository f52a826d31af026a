/**
 * Parameter Store comes before the deployment gate, so the consolidation bucket that holds the
 * run's ledger may not exist yet. The parameters are then written without a ledger and the
 * report says they cannot be reverted, instead of the phase failing on a missing bucket.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createRunActivities } from '../../activities/migration/run';
import type { LedgerResolver } from '../../activities/ledger/resolver';
import type { LedgerSink } from '../../src/ledger/types';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();

function recordingResolver() {
  const asked: (string | undefined)[] = [];
  const recorded: unknown[] = [];
  const sink: LedgerSink = { record: async (entries) => void recorded.push(...entries) } as LedgerSink;
  const resolve: LedgerResolver = async ({ bucket }) => {
    asked.push(bucket);
    return sink;
  };
  return { resolve, asked, recorded };
}

it('writes the parameters unrecorded, with a warning, when the ledger bucket does not exist yet', async () => {
  const stage = uniqueDepName('ssml');
  const { resolve, asked } = recordingResolver();
  const activities = createRunActivities(clients, resolve);
  const parameter = { name: `/amplify/${stage}/svc/LOG_LEVEL`, value: 'INFO', description: 'log level', service: 'svc' };
  const totals = await activities.writeSsmParameters({ parameters: [parameter], dryRun: false, ledgerBucket: `${stage}-not-created-yet` });

  expect((await clients.ssm.send(new GetParameterCommand({ Name: parameter.name }))).Parameter?.Value).toBe('INFO');
  expect(asked).toEqual([]);
  expect(totals.problems).toEqual([
    {
      kind: 'warning',
      where: 'PARAMETER_STORE',
      reason: `not recorded in the run's ledger: its bucket ${stage}-not-created-yet does not exist yet, so a revert cannot restore these parameters`,
    },
  ]);
});

it('records the parameters in the ledger when its bucket exists', async () => {
  const stage = uniqueDepName('ssml');
  const bucket = `${stage}-consolidation`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const { resolve, asked, recorded } = recordingResolver();
  const activities = createRunActivities(clients, resolve);
  const parameter = { name: `/amplify/${stage}/svc/LOG_LEVEL`, value: 'DEBUG', description: 'log level', service: 'svc' };
  const totals = await activities.writeSsmParameters({ parameters: [parameter], dryRun: false, ledgerBucket: bucket });

  expect(totals.problems).toEqual([]);
  expect(asked).toEqual([bucket]);
  expect(recorded).toHaveLength(1);
});
