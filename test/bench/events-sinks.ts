/**
 * The two consumers the events benchmark measures, both in the bench process
 * so that every timestamp comes from one clock (performance.now()):
 * - a webhook receiver (node:http) that verifies X-Strata-Signature and
 *   notes when each key's event arrived;
 * - a GraphQL subscription over SSE (graphql-yoga's "distinct connections"
 *   GraphQL-over-SSE: POST with Accept: text/event-stream) that does the same.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** First arrival time per object key, and a way to wait for a set of keys. */
export class Arrivals {
  readonly at = new Map<string, number>();
  duplicates = 0;
  private waiters: Array<() => void> = [];

  note(key: string): void {
    if (this.at.has(key)) {
      this.duplicates++;
      return;
    }
    this.at.set(key, performance.now());
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves true once every key has arrived, false at the deadline. */
  async waitFor(keys: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    let i = 0;
    for (;;) {
      while (i < keys.length && this.at.has(keys[i]!)) i++;
      if (i === keys.length) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** S3 event records carry keys URL-encoded as form values ('+' for a space). */
function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export class WebhookReceiver {
  readonly arrivals = new Arrivals();
  badSignatures = 0;
  private server: http.Server | undefined;

  constructor(private readonly secret: string) {}

  /** Listens on a free loopback port; resolves with the URL to configure. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
        const given = String(req.headers['x-strata-signature'] ?? '');
        if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
          this.badSignatures++;
        }
        try {
          const parsed = JSON.parse(body.toString('utf8')) as {
            Records?: Array<{ s3: { object: { key: string } } }>;
          };
          for (const r of parsed.Records ?? []) this.arrivals.note(decodeKey(r.s3.object.key));
        } catch {
          this.badSignatures++;
        }
        res.statusCode = 200;
        res.end();
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

export interface SubscriptionOptions {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
}

const SUBSCRIPTION = `subscription Bench($bucket: String!) {
  objectEvents(bucket: $bucket, events: ["s3:ObjectCreated:*"]) { eventName key eventTime }
}`;

export class SseSubscription {
  readonly arrivals = new Arrivals();
  errors: string[] = [];
  private readonly abort = new AbortController();
  private done: Promise<void> | undefined;

  constructor(private readonly opts: SubscriptionOptions) {}

  /** Opens the stream; resolves once the server answered 200 with an event stream. */
  async start(): Promise<void> {
    const { endpoint, accessKey, secretKey, bucket } = this.opts;
    const res = await fetch(`${endpoint}/_strata/graphql`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: 'Basic ' + Buffer.from(`${accessKey}:${secretKey}`).toString('base64'),
      },
      body: JSON.stringify({ query: SUBSCRIPTION, variables: { bucket } }),
      signal: this.abort.signal,
    });
    if (
      res.status !== 200 ||
      !res.body ||
      !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')
    ) {
      throw new Error(`subscription refused: HTTP ${res.status} ${await res.text().catch(() => '')}`);
    }
    this.done = this.read(res.body);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          this.message(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
      }
    } catch (e) {
      if (!this.abort.signal.aborted) this.errors.push(String(e));
    }
  }

  private message(text: string): void {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') return;
    const msg = JSON.parse(data) as { data?: { objectEvents?: { key: string } }; errors?: unknown[] };
    if (msg.errors) this.errors.push(JSON.stringify(msg.errors));
    const key = msg.data?.objectEvents?.key;
    if (key !== undefined) this.arrivals.note(key);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
