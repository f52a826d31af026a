/**
 * A fault-injecting HTTP proxy between the AWS SDK clients and the emulator (moto or
 * dynoxide). Every request is forwarded unchanged unless the injector says otherwise:
 *
 * - `throttle`: answered at once with the service's throttling error, never forwarded;
 * - `errorBefore`: answered with a 500, never forwarded;
 * - `errorAfter`: forwarded and applied, then the client gets a 500 ("applied but never
 *   heard": the fault that tests idempotency, since the SDK retries a write that happened);
 * - `killBefore` / `killAfter`: the worker dies at this request (before sending it, or after
 *   the emulator applied it). The connection is dropped and the proxy stays dead, dropping
 *   every request, until `revive()`: a dead process sends nothing more.
 *
 * Errors have the wire shape of the real service (JSON `__type` for DynamoDB and SSM, the
 * S3 XML error document), so the SDK classifies and retries them as it would on AWS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'throttle' | 'errorBefore' | 'errorAfter' | 'killBefore' | 'killAfter';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'errorBefore', 'errorAfter', 'killBefore', 'killAfter'];

export type Service = 'dynamodb' | 's3' | 'ssm' | 'other';

export interface RequestInfo {
  /** 1-based, over the proxy's lifetime (or since the last resetCount). */
  index: number;
  service: Service;
  /** DynamoDB/SSM target (`PutItem`), or the HTTP method and path for S3. */
  operation: string;
}

export type Injector = (request: RequestInfo) => FaultKind | undefined;

export interface FaultCounts {
  requests: number;
  throttle: number;
  errorBefore: number;
  errorAfter: number;
  killBefore: number;
  killAfter: number;
  /** Requests dropped while the worker was dead. */
  dropped: number;
}

export class FaultProxy {
  injector: Injector = () => undefined;
  /** Called when a kill fault fires (the harness abandons the activity attempt). */
  onKill: (request: RequestInfo) => void = () => undefined;
  /** Every request seen, in order (only while `record` is on). */
  readonly log: RequestInfo[] = [];
  record = false;
  /** Milliseconds each forwarded request waits first: in-region AWS round trips, for the bench's latency profile. */
  latencyMs: (service: Service) => number = () => 0;
  private counts: FaultCounts = emptyCounts();
  private dead = false;
  private server?: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly target: string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fault proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get faults(): FaultCounts {
    return { ...this.counts };
  }

  get isDead(): boolean {
    return this.dead;
  }

  resetCount(): void {
    this.counts = emptyCounts();
    this.log.length = 0;
  }

  revive(): void {
    this.dead = false;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Longer than any client keeps an idle socket, so a reused connection is never closed under a request.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.dead) {
      this.counts.dropped++;
      res.destroy();
      return;
    }
    const request: RequestInfo = { index: ++this.counts.requests, ...describe(req) };
    if (this.record) this.log.push(request);
    const fault = this.injector(request);
    if (fault) this.counts[fault]++;
    switch (fault) {
      case 'throttle':
        return respondError(res, request.service, 'throttle');
      case 'errorBefore':
        return respondError(res, request.service, 'internal');
      case 'killBefore':
        this.kill(request, res);
        return;
    }
    const latency = this.latencyMs(request.service);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    let upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
    try {
      upstream = await this.forward(req, body);
    } catch {
      res.destroy();
      return;
    }
    if (fault === 'errorAfter') return respondError(res, request.service, 'internal');
    if (fault === 'killAfter') return this.kill(request, res);
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private kill(request: RequestInfo, res: http.ServerResponse): void {
    this.dead = true;
    res.destroy();
    this.onKill(request);
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const target = new URL(this.target);
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (response) => {
          readBody(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

function emptyCounts(): FaultCounts {
  return { requests: 0, throttle: 0, errorBefore: 0, errorAfter: 0, killBefore: 0, killAfter: 0, dropped: 0 };
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function describe(req: http.IncomingMessage): { service: Service; operation: string } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix, operation = target] = target.split('.');
    if (prefix.startsWith('DynamoDB')) return { service: 'dynamodb', operation };
    if (prefix.startsWith('AmazonSSM')) return { service: 'ssm', operation };
    return { service: 'other', operation };
  }
  const auth = req.headers.authorization ?? '';
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/s3\//.test(auth) ? 's3' : 'other';
  return { service, operation: `${req.method} ${req.url ?? '/'}` };
}

function respondError(res: http.ServerResponse, service: Service, kind: 'throttle' | 'internal'): void {
  if (service === 's3') {
    const [status, code, message] = kind === 'throttle' ? [503, 'SlowDown', 'Please reduce your request rate.'] : [500, 'InternalError', 'We encountered an internal error. Please try again.'];
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>`);
    return;
  }
  const namespace = service === 'dynamodb' ? 'com.amazonaws.dynamodb.v20120810#' : '';
  const [status, type] = kind === 'throttle' ? [400, 'ThrottlingException'] : [500, 'InternalServerError'];
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: `${namespace}${type}`, message: `injected ${kind}` }));
}
