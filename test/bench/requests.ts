/** The benchmark's request profile: AWS requests counted by operation through local proxies. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../client/stack/localStack';
import { FaultProxy, type Service } from '../faults/faultProxy';

/** Builds dynoxide through the project's setup script the first time a bench asks for it. */
export function ensureDynoxide(): void {
  if (existsSync(path.join(PROJECT_ROOT, '.stack', 'cargo', 'bin', 'dynoxide')) || process.env.DYNOXIDE_PATH) return;
  process.stderr.write('[bench] building dynoxide (first use; a few CPU-minutes)\n');
  const built = spawnSync('bash', ['scripts/setup.sh'], { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, AMPLIFY_MIGRATE_WITH_DYNOXIDE: '1' } });
  if (built.status !== 0) throw new Error('could not build dynoxide (cargo install dynoxide-rs): see the output above');
}

export class RequestCounters {
  private constructor(
    private readonly aws: FaultProxy,
    private readonly dynamo: FaultProxy | undefined,
  ) {}

  /** `latencyMs`: added before each request is forwarded (the bench's in-region latency profile). */
  static async start(awsEndpoint: string, dynamoEndpoint?: string, latencyMs?: Record<Service, number>): Promise<RequestCounters> {
    const aws = await new FaultProxy(awsEndpoint).start();
    const dynamo = dynamoEndpoint ? await new FaultProxy(dynamoEndpoint).start() : undefined;
    for (const proxy of [aws, dynamo]) {
      if (!proxy) continue;
      proxy.record = true;
      if (latencyMs) proxy.latencyMs = (service) => latencyMs[service];
    }
    return new RequestCounters(aws, dynamo);
  }

  get awsEndpoint(): string {
    return this.aws.url;
  }

  get dynamoEndpoint(): string | undefined {
    return this.dynamo?.url;
  }

  reset(): void {
    this.aws.resetCount();
    this.dynamo?.resetCount();
  }

  /** `dynamodb Query`, `s3 HeadObject`, ... → count. */
  byOperation(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of [...this.aws.log, ...(this.dynamo?.log ?? [])]) {
      const name = `${request.service} ${request.service === 's3' ? s3Operation(request.operation) : request.operation}`;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  }

  /** S3 requests by operation and bucket (`HeadObject my-bucket` → count): which bucket's objects a request kind goes to. */
  s3ByBucket(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of this.aws.log) {
      if (request.service !== 's3') continue;
      const bucket = request.operation.split(' ')[1]?.split('?')[0].split('/').filter(Boolean)[0] ?? '?';
      const name = `${s3Operation(request.operation)} ${bucket}`;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  }

  async stop(): Promise<void> {
    await Promise.all([this.aws.stop(), this.dynamo?.stop()]);
  }
}

/** S3 requests are logged as `METHOD /bucket/key?query`: the operation is the method plus whether it names an object. */
function s3Operation(operation: string): string {
  const [method, url = '/'] = operation.split(' ');
  const [pathName, query = ''] = url.split('?');
  const isObject = pathName.split('/').filter(Boolean).length > 1;
  const params = new URLSearchParams(query);
  if (params.has('versioning')) return `${method === 'GET' ? 'Get' : 'Put'}BucketVersioning`;
  if (params.has('tagging')) return `${method === 'GET' ? 'Get' : 'Put'}ObjectTagging`;
  if (params.has('uploadId') || params.has('uploads')) return 'Multipart';
  if (method === 'HEAD') return isObject ? 'HeadObject' : 'HeadBucket';
  if (method === 'GET') return isObject ? 'GetObject' : 'ListObjects';
  if (method === 'PUT') return isObject ? 'PutObject/CopyObject' : 'PutBucket';
  if (method === 'DELETE') return isObject ? 'DeleteObject' : 'DeleteBucket';
  return `${method} ${isObject ? 'object' : 'bucket'}`;
}
