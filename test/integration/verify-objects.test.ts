/**
 * Verification of the copies (verifyObjects): the source is listed once and the destinations
 * once, and a destination is identical when its listing shows the source's size and ETag; a
 * missing copy, a copy with other bytes and a multipart copy (whose ETag never matches) are
 * each judged correctly, without a HEAD per object.
 */
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { buildDeployment } from '../../src/deployment/catalogue';
import { IdMapCache, putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { createObjectActivities } from '../../activities/migration/objects';
import { commonPrefix } from '../../activities/s3/destinationListing';
import { copyVerified, MiB } from '../../activities/s3/copy';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();

/** The test's S3 client, with the name of every command it sends. */
function recordingS3(): { s3: S3Client; sent: string[] } {
  const sent: string[] = [];
  const s3 = Object.create(clients.s3) as S3Client;
  s3.send = ((command: { constructor: { name: string } }, options?: unknown) => {
    sent.push(command.constructor.name);
    return (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
  }) as S3Client['send'];
  return { s3, sent };
}

/** verifyObjects' answer for the agent-state source: `checked` copies, each of `failed` a problem. */
function verdict(checked: number, failed: { source: string; target: string; reason: string }[]) {
  const problems = failed.map((f) => ({ kind: 'failure', where: 'AGENT_STATE_BUCKET', ...f }));
  return { tablesChecked: 0, itemsChecked: 0, oldIdsLeft: 0, objectsChecked: checked, objectsMissing: failed.length, problems };
}

it('commonPrefix is the longest prefix every key shares', () => {
  expect(commonPrefix([])).toBe('');
  expect(commonPrefix(['agentState/new-a/x', 'agentState/new-b/y'])).toBe('agentState/new-');
  expect(commonPrefix(['a/b', 'c'])).toBe('');
  expect(commonPrefix(['same'])).toBe('same');
});

it('judges every copy by one listing of each side: identical, missing, other bytes, multipart', async () => {
  const deployment = buildDeployment({ depName: uniqueDepName('vo'), stage: 'dev' });
  const legacy = deployment.buckets.AGENT_STATE_BUCKET;
  const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
  for (const bucket of [legacy, consolidation]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const put = (bucket: string, key: string, body: string | Buffer) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const big = Buffer.alloc(6 * MiB, 7);
  await put(legacy, 'alice@x.com/copied.json', '{"copied":1}');
  await put(legacy, 'alice@x.com/missing.json', '{"missing":1}');
  await put(legacy, 'alice@x.com/other.json', '{"other":1}');
  await put(legacy, 'alice@x.com/big.bin', big);
  await put(legacy, 'bob@x.com/not-in-the-map.json', 'outsider');
  const copy = (key: string, options: { multipartThresholdBytes?: number } = {}) =>
    copyVerified(clients, { sourceBucket: legacy, sourceKey: `alice@x.com/${key}`, destBucket: consolidation, destKey: `agentState/alice/${key}`, ...options });
  expect(await copy('copied.json')).toMatchObject({ status: 'copied' });
  expect(await copy('big.bin', { multipartThresholdBytes: 5 * MiB })).toMatchObject({ status: 'copied', method: 'multipart' });
  await put(consolidation, 'agentState/alice/other.json', '{"OTHER":1}');

  const claim = await putIdMapClaimCheck(clients, consolidation, [{ oldId: 'alice@x.com', newId: 'alice' }]);
  const { s3, sent } = recordingS3();
  const activities = createObjectActivities({ ...clients, s3 }, { idMapCache: new IdMapCache() });
  const result = await new MockActivityEnvironment().run(activities.verifyObjects, {
    deployment,
    sourceName: 'agentState' as const,
    idMapRef: { ...claim, count: 1, changesAnyId: true },
  });

  expect(result).toEqual(
    verdict(4, [
      { source: 'alice@x.com/missing.json', target: 'agentState/alice/missing.json', reason: 'copy missing' },
      { source: 'alice@x.com/other.json', target: 'agentState/alice/other.json', reason: 'copy different' },
    ]),
  );
  // Only the copies whose listed ETag differs from the source's (the multipart copy, and the other
  // bytes of the same size, which might be an SSE-KMS copy) are compared by HEADs and their bytes.
  expect(sent.filter((name) => name === 'HeadObjectCommand')).toHaveLength(4);
  expect(sent.filter((name) => name === 'ListObjectsV2Command')).toHaveLength(2);
});

it('verifies copies whose destination keys share only half a character (new ids of emoji sharing a high surrogate)', async () => {
  // U+1F600 and U+1F601 share their high surrogate: a common prefix cut by UTF-16 units would
  // end in half a character, which no listing request can carry.
  const deployment = buildDeployment({ depName: uniqueDepName('vo'), stage: 'dev' });
  const legacy = deployment.buckets.AGENT_STATE_BUCKET;
  const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
  for (const bucket of [legacy, consolidation]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const pairs = [
    { oldId: 'ann@x.com', newId: '\u{1F600}ann' },
    { oldId: 'ben@x.com', newId: '\u{1F601}ben' },
  ];
  for (const { oldId, newId } of pairs) {
    await clients.s3.send(new PutObjectCommand({ Bucket: legacy, Key: `${oldId}/state.json`, Body: oldId }));
    expect(await copyVerified(clients, { sourceBucket: legacy, sourceKey: `${oldId}/state.json`, destBucket: consolidation, destKey: `agentState/${newId}/state.json` })).toMatchObject({ status: 'copied' });
  }
  const claim = await putIdMapClaimCheck(clients, consolidation, pairs);
  const activities = createObjectActivities(clients, { idMapCache: new IdMapCache() });
  const result = await new MockActivityEnvironment().run(activities.verifyObjects, { deployment, sourceName: 'agentState' as const, idMapRef: { ...claim, count: 2, changesAnyId: true } });
  expect(result).toEqual(verdict(2, []));
});

it('judges copies on every page of the destination listing, each source of a shared destination on its own, problems in source order', async () => {
  const deployment = buildDeployment({ depName: uniqueDepName('vo'), stage: 'dev' });
  const legacy = deployment.buckets.AGENT_STATE_BUCKET;
  const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
  for (const bucket of [legacy, consolidation]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const put = (bucket: string, key: string, body: string) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  for (const name of ['a', 'b', 'c', 'd', 'e']) await put(legacy, `alice@x.com/${name}.json`, `{"${name}":1}`);
  // Copies with the same bytes (single-part ETags equal) for a, b and c, other bytes for e, none for d.
  for (const name of ['a', 'b', 'c']) await put(consolidation, `agentState/alice/${name}.json`, `{"${name}":1}`);
  await put(consolidation, 'agentState/alice/e.json', '{"E":"other"}');
  // A second old id of the same new id: its a.json has the same destination as alice@x.com's.
  await put(legacy, 'al@x.com/a.json', '{"al":1}');

  const claim = await putIdMapClaimCheck(clients, consolidation, [
    { oldId: 'alice@x.com', newId: 'alice' },
    { oldId: 'al@x.com', newId: 'alice' },
  ]);
  const { s3, sent } = recordingS3();
  // Two keys a page: the four copies come in two pages.
  const activities = createObjectActivities({ ...clients, s3 }, { idMapCache: new IdMapCache(), verifyListingPageSize: 2 });
  const result = await new MockActivityEnvironment().run(activities.verifyObjects, { deployment, sourceName: 'agentState' as const, idMapRef: { ...claim, count: 2, changesAnyId: true } });

  expect(result).toEqual(
    verdict(6, [
      { source: 'al@x.com/a.json', target: 'agentState/alice/a.json', reason: 'copy different' },
      { source: 'alice@x.com/d.json', target: 'agentState/alice/d.json', reason: 'copy missing' },
      { source: 'alice@x.com/e.json', target: 'agentState/alice/e.json', reason: 'copy different' },
    ]),
  );
  // The source in one page, the destinations in two; HEADs only for the two whose listing differs.
  expect(sent.filter((name) => name === 'ListObjectsV2Command')).toHaveLength(3);
  expect(sent.filter((name) => name === 'HeadObjectCommand')).toHaveLength(4);
});
