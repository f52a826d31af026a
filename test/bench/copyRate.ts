/**
 * The raw CopyObject rate of the emulator: plain CopyObject calls at a fixed concurrency
 * between two scratch buckets, with no listing, mapping or verification. The migration's
 * copy rate is compared with this, so the ratio shows the engine's overhead, not moto's speed.
 */
import { CopyObjectCommand, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../activities/aws/clients';
import { mapWithConcurrency } from '../../activities/concurrency';

export interface CopyRate {
  objects: number;
  objectBytes: number;
  concurrency: number;
  seconds: number;
  objectsPerSecond: number;
  bytesPerSecond: number;
}

export async function measureRawCopyRate(
  clients: AwsClients,
  options: { scratchPrefix: string; objects: number; objectBytes: number; concurrency: number },
): Promise<CopyRate> {
  const source = `${options.scratchPrefix}-copy-src`;
  const dest = `${options.scratchPrefix}-copy-dst`;
  for (const bucket of [source, dest]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const body = Buffer.alloc(options.objectBytes, 'x');
  const keys = Array.from({ length: options.objects }, (_, i) => `conversations/user${i}@example.com/c${i}.json`);
  await mapWithConcurrency(keys, options.concurrency, (key) =>
    clients.s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: body, ContentType: 'application/json' })),
  );

  const started = process.hrtime.bigint();
  await mapWithConcurrency(keys, options.concurrency, (key) =>
    clients.s3.send(
      new CopyObjectCommand({
        Bucket: dest,
        Key: key.replace('conversations/', 'copied/'),
        // The same encoding the migration's copy engine needs for keys with '@', '+', spaces.
        CopySource: `${source}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
      }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    objects: options.objects,
    objectBytes: options.objectBytes,
    concurrency: options.concurrency,
    seconds,
    objectsPerSecond: options.objects / seconds,
    bytesPerSecond: (options.objects * options.objectBytes) / seconds,
  };
}
