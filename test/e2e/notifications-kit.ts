/**
 * Tools for the bucket-notification end-to-end tests: a webhook receiver
 * (node:http on a free port) whose answers a test scripts per path, a poll
 * with a deadline, and the BullMQ queue of webhook jobs under the test's own
 * Redis prefix (removed with everything under that prefix at the end).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteRedisKeys } from '../helpers/redis-keys.js';

export interface Delivery {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The raw body, as signed. */
  readonly raw: Buffer;
  /** What the receiver answered. */
  readonly status: number;
}

/** Answers the n-th request (1-based) to a path. */
export type Answer = (n: number) => number;

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private readonly answers = new Map<string, Answer>();
  private readonly counts = new Map<string, number>();
  private readonly holds = new Map<string, { until: Promise<void>; arrived: () => void }>();
  private server: http.Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const path = req.url ?? '/';
        const hold = this.holds.get(path);
        if (hold) {
          this.holds.delete(path);
          hold.arrived();
          await hold.until;
        }
        const n = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, n);
        const status = (this.answers.get(path) ?? (() => 200))(n);
        this.deliveries.push({ path, headers: req.headers, raw: Buffer.concat(chunks), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answer(path: string, answer: Answer): void {
    this.answers.set(path, answer);
  }

  /**
   * Leaves the next request to `path` unanswered until `until` resolves (it
   * is recorded once answered); resolves when that request has arrived.
   */
  hold(path: string, until: Promise<void>): Promise<void> {
    return new Promise((arrived) => this.holds.set(path, { until, arrived }));
  }

  to(path: string): Delivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Polls `check` until it returns a value other than undefined / false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The webhook queue as an operator sees it through BullMQ, and the clean-up of the test's Redis keys. */
export class WebhookQueue {
  readonly queue: Queue;
  private readonly redis: Redis;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue('webhook', { connection: this.redis, prefix });
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit();
    // Everything the node made under this test's prefix: queues, events, counters.
    await deleteRedisKeys(this.redisUrl, this.prefix);
  }
}
