import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { WebhookTarget } from '../../shared/notify-config.js';
import { deliverWebhook } from './webhook-delivery.js';
import { verifyWebhookSignature } from './webhook-signature.js';

interface Seen {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly method: string | undefined;
}

describe('webhook delivery', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), method: req.method });
        const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
        if (status === 0) return; // never answers
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end('body');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const target = (query: string, secret: string | null = 'top-secret'): WebhookTarget => ({
    id: 't',
    arn: 'arn:strata:sqs::t:webhook',
    endpoint: `${base}/hook?${query}`,
    secret: secret ?? undefined,
  });
  const request = {
    body: '{"Records":[{"eventName":"ObjectCreated:Put"}]}',
    eventId: '42',
    deliveryId: 'webhook-42-x',
  };

  it('POSTs the body as JSON with the event id, the delivery id and a verifiable signature', async () => {
    seen.length = 0;
    const outcome = await deliverWebhook(target('status=204'), request, { timeoutMs: 5000 });
    assert.deepEqual(outcome, { delivered: true, status: 204 });
    const [got] = seen;
    assert.equal(got?.method, 'POST');
    assert.equal(got?.body, request.body);
    assert.equal(got?.headers['content-type'], 'application/json');
    assert.equal(got?.headers['x-strata-event-id'], '42');
    assert.equal(got?.headers['x-strata-delivery'], 'webhook-42-x');
    const signature = got?.headers['x-strata-signature'] as string;
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.ok(verifyWebhookSignature('top-secret', got?.body ?? '', signature));
    assert.ok(!verifyWebhookSignature('other-secret', got?.body ?? '', signature));
    assert.ok(!verifyWebhookSignature('top-secret', `${got?.body} `, signature));
  });

  it('sends no signature for a target without a secret', async () => {
    seen.length = 0;
    await deliverWebhook(target('status=200', null), request, { timeoutMs: 5000 });
    assert.equal(seen[0]?.headers['x-strata-signature'], undefined);
  });

  const failures: Array<[string, number, boolean]> = [
    ['a 500', 500, true],
    ['a 503', 503, true],
    ['a 408', 408, true],
    ['a 429', 429, true],
    ['a 400', 400, false],
    ['a 404', 404, false],
    ['a redirect', 302, false],
  ];
  for (const [name, status, retryable] of failures) {
    it(`treats ${name} as ${retryable ? 'worth retrying' : 'permanent'}`, async () => {
      const outcome = await deliverWebhook(target(`status=${status}`), request, { timeoutMs: 5000 });
      assert.deepEqual(outcome, {
        delivered: false,
        retryable,
        status,
        reason: `receiver answered ${status}`,
      });
    });
  }

  it('retries a receiver that does not answer in time', async () => {
    const outcome = await deliverWebhook(target('status=0'), request, { timeoutMs: 200 });
    assert.deepEqual(outcome, { delivered: false, retryable: true, reason: 'no answer within 200 ms' });
  });

  it('retries a receiver that is not listening', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await deliverWebhook(
      {
        id: 'down',
        arn: 'arn:strata:sqs::down:webhook',
        endpoint: `http://127.0.0.1:${port}/`,
        secret: undefined,
      },
      request,
      { timeoutMs: 5000 },
    );
    assert.equal(outcome.delivered, false);
    assert.ok(
      !outcome.delivered && outcome.retryable && /ECONNREFUSED/.test(outcome.reason),
      JSON.stringify(outcome),
    );
  });

  it('keeps the connection to a receiver open between deliveries', async () => {
    let connections = 0;
    const counting = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    counting.on('connection', () => connections++);
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const t: WebhookTarget = {
      id: 'ka',
      arn: 'arn:strata:sqs::ka:webhook',
      endpoint: `http://127.0.0.1:${(counting.address() as AddressInfo).port}/`,
      secret: undefined,
    };
    try {
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(await deliverWebhook(t, request, { timeoutMs: 5000 }), {
          delivered: true,
          status: 204,
        });
      }
      assert.equal(connections, 1);
      // The receiver drops its idle connections (as a restart or an idle timeout does): the next delivery still arrives.
      counting.closeIdleConnections();
      assert.deepEqual(await deliverWebhook(t, request, { timeoutMs: 5000 }), {
        delivered: true,
        status: 204,
      });
    } finally {
      counting.closeAllConnections();
      await new Promise((resolve) => counting.close(resolve));
    }
  });

  it('stops when the worker aborts', async () => {
    const abort = new AbortController();
    const pending = deliverWebhook(target('status=0'), request, { timeoutMs: 10_000, signal: abort.signal });
    abort.abort();
    assert.deepEqual(await pending, { delivered: false, retryable: true, reason: 'delivery aborted' });
  });
});
