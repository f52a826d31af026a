import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** DynamoDB and Parameter Store writes (by their X-Amz-Target), and S3 writes (by method). */
export function isWriteRequest(req: IncomingMessage): boolean {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return /\.(TransactWriteItems|PutItem|UpdateItem|DeleteItem|BatchWriteItem|PutParameter|DeleteParameter|DeleteParameters)$/.test(target);
  return req.method === 'PUT' || req.method === 'DELETE' || req.method === 'POST';
}

/**
 * A pass-through proxy to the moto server that, once told to, holds every request until
 * released, so the test decides when the worker's activities may finish (no sleeps, no timing).
 */
export class GatedProxy {
  private held: (() => void)[] = [];
  private open = true;
  private heldListeners: (() => void)[] = [];
  private closeAt: { matches: (req: IncomingMessage) => boolean; remaining: number } | undefined;
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      const forward = () => this.forward(req, res);
      if (this.open && this.closeAt?.matches(req) && --this.closeAt.remaining === 0) {
        this.closeAt = undefined;
        this.open = false;
      }
      if (this.open) return forward();
      this.held.push(forward);
      for (const l of this.heldListeners.splice(0)) l();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, requests wait for release() (the worker's own start-up calls went through). */
  hold(): void {
    this.open = false;
  }

  /**
   * From the nth request that matches on (counted from now), requests wait for release(): that
   * one is held before it reaches the emulator, with the n - 1 before it applied.
   */
  holdFrom(nth: number, matches: (req: IncomingMessage) => boolean): void {
    this.closeAt = { matches, remaining: nth };
  }

  /** Resolves once a request is being held (an activity is in flight on the worker). */
  holding(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((resolve) => this.heldListeners.push(resolve));
  }

  release(): void {
    this.open = true;
    for (const forward of this.held.splice(0)) forward();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      { hostname: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (reply: IncomingMessage) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}
