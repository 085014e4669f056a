/**
 * Watching the event pipeline from tests: a pub/sub subscriber on the events
 * channel, polling with a deadline, and a private redis-server child that a
 * test may stop and start (never the shared Redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { eventsChannel } from '../../shared/bus/channels.js';
import type { StrataEvent } from '../../shared/events.js';
import { freePort } from './strata-process.js';

/** Polls `probe` until it returns something other than undefined / false; fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every event published on a prefix's channel, in arrival order, repeats dropped by id. */
export class EventSubscriber {
  readonly events: StrataEvent[] = [];
  private readonly seen = new Set<number>();

  private constructor(private readonly redis: Redis) {}

  static async open(url: string, prefix: string): Promise<EventSubscriber> {
    const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    const s = new EventSubscriber(redis);
    redis.on('message', (_ch: string, message: string) => {
      const e = JSON.parse(message) as StrataEvent;
      if (s.seen.has(e.id)) return;
      s.seen.add(e.id);
      s.events.push(e);
    });
    await redis.subscribe(eventsChannel(prefix));
    return s;
  }

  /** Waits until at least `n` events arrived; returns them. */
  async count(n: number, timeoutMs = 10_000): Promise<StrataEvent[]> {
    await waitUntil(`${n} events (have ${this.events.length})`, () => this.events.length >= n, timeoutMs);
    return this.events.slice();
  }

  /** Waits for the first event matching `pred`. */
  async find(what: string, pred: (e: StrataEvent) => boolean, timeoutMs = 10_000): Promise<StrataEvent> {
    return waitUntil(what, () => this.events.find(pred), timeoutMs);
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** A redis-server of the test's own, on a free port, without persistence; stop() and start() keep the port. */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    const s = new TestRedisServer(await freePort());
    await s.start();
    return s;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const probe = new Redis(this.url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    await waitUntil('redis-server to answer', async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        probe.disconnect();
        return false;
      }
    });
    probe.disconnect();
  }

  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
