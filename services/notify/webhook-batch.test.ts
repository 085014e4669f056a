import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { WebhookTarget } from '../../shared/notify-config.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../../test/helpers/redis-keys.js';
import { claimDeliveries, finishDeliveries } from './delivery-claims.js';
import { webhookJobId, type WebhookBatchPayload, type WebhookDelivery } from './notify-consumer.js';
import { testRecord } from './record-fixture.js';
import { deliverWebhookBatch, type DeliveryJob, type WebhookBatchOptions } from './webhook-batch.js';

const ARN = 'arn:strata:sqs::t:webhook';

function delivery(eventId: number, key: string): WebhookDelivery {
  const record = testRecord({ key, sequencer: eventId.toString(16), configurationId: 'cfg' });
  return { eventId, configurationId: 'cfg', record };
}

const batch = (...ds: WebhookDelivery[]): WebhookBatchPayload => ({ v: 2, targetArn: ARN, deliveries: ds });
const idOf = (eventId: number) => webhookJobId(eventId, 'cfg', ARN);

describe('webhook batch delivery', () => {
  const prefix = `test-webhook-batch-${randomUUID()}`;
  let redis: Redis;
  let server: http.Server;
  let target: WebhookTarget;
  /** Delivery ids (X-Strata-Delivery) of the POSTs received, in order. */
  let posts: string[] = [];

  before(async () => {
    redis = new Redis(TEST_REDIS_URL);
    // Answers by object key: "status-<n>" gets n, anything else 200.
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(String(req.headers['x-strata-delivery']));
        const key = JSON.parse(Buffer.concat(chunks).toString()).Records[0].s3.object.key as string;
        res.writeHead(Number(/^status-(\d+)$/.exec(key)?.[1] ?? 200)).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = {
      id: 't',
      arn: ARN,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      secret: undefined,
    };
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
    redis.disconnect();
  });

  /** Runs a batch as job `jobId`; returns its result and the jobs it handed on. */
  async function run(jobId: string, payload: WebhookBatchPayload, opts: Partial<WebhookBatchOptions> = {}) {
    const handed: DeliveryJob[] = [];
    const result = await deliverWebhookBatch(payload, {
      redis,
      redisPrefix: `${prefix}-${jobId.split('/')[0]}`,
      jobId,
      target,
      schedule: { attempts: 3, backoffMs: 100 },
      timeoutMs: 5000,
      concurrency: 4,
      signal: new AbortController().signal,
      enqueue: async (jobs) => void handed.push(...jobs),
      ...opts,
    });
    return { result, handed };
  }

  it('POSTs each delivery once with its delivery id', async () => {
    posts = [];
    const { result, handed } = await run('a/1', batch(delivery(1, 'x'), delivery(2, 'y'), delivery(3, 'z')));
    assert.deepEqual(result, { delivered: 3, skipped: 0, handedOn: 0 });
    assert.deepEqual(handed, []);
    assert.deepEqual([...posts].sort(), [idOf(1), idOf(2), idOf(3)].sort());
  });

  it('a replayed batch cut differently POSTs only what no other job has', async () => {
    posts = [];
    // Two relay passes over overlapping events (after a relay crash): two jobs, run at once.
    const [first, replay] = await Promise.all([
      run('b/1-3', batch(delivery(1, 'x'), delivery(2, 'y'), delivery(3, 'z'))),
      run('b/2-4', batch(delivery(2, 'y'), delivery(3, 'z'), delivery(4, 'w'))),
    ]);
    assert.deepEqual([...posts].sort(), [idOf(1), idOf(2), idOf(3), idOf(4)].sort(), 'each POSTed once');
    assert.equal(first.result.delivered + replay.result.delivered, 4);
    assert.equal(first.result.skipped + replay.result.skipped, 2);
  });

  it('run again, a job POSTs what it claimed and did not finish, and nothing it finished', async () => {
    posts = [];
    const redisPrefix = `${prefix}-c`;
    // The job's first run claimed events 1 and 2, had 1 accepted, and died.
    await claimDeliveries(redis, redisPrefix, 'c/1-3', [idOf(1), idOf(2)]);
    await finishDeliveries(redis, redisPrefix, [idOf(1)]);
    const { result } = await run('c/1-3', batch(delivery(1, 'x'), delivery(2, 'y'), delivery(3, 'z')));
    assert.deepEqual([...posts].sort(), [idOf(2), idOf(3)].sort());
    assert.deepEqual(result, { delivered: 2, skipped: 1, handedOn: 0 });
  });

  it('hands each delivery that was not accepted to a job of its own, by the retry schedule', async () => {
    posts = [];
    const { result, handed } = await run(
      'd/1-3',
      batch(delivery(1, 'ok'), delivery(2, 'status-503'), delivery(3, 'status-400')),
    );
    assert.deepEqual(result, { delivered: 1, skipped: 0, handedOn: 2 });
    const byId = new Map(handed.map((j) => [j.id, j]));
    const retry = byId.get(idOf(2));
    assert.equal(retry?.delayMs, 100);
    assert.equal(retry?.data.priorAttempts, 1);
    assert.equal(retry?.data.refusal, undefined);
    assert.equal(retry?.data.targetArn, ARN);
    assert.equal(retry?.data.record.s3.object.key, 'status-503');
    assert.equal(retry?.log, 'attempt 1 failed: t: receiver answered 503');
    const refused = byId.get(idOf(3));
    assert.match(refused?.data.refusal ?? '', /^t: receiver answered 400; a retry cannot help, not retried$/);
    // Handed on means finished for batches: running the job again POSTs nothing.
    posts = [];
    const again = await run(
      'd/1-3',
      batch(delivery(1, 'ok'), delivery(2, 'status-503'), delivery(3, 'status-400')),
    );
    assert.deepEqual(posts, []);
    assert.deepEqual(again.result, { delivered: 0, skipped: 3, handedOn: 0 });
  });

  it('gives a delivery up when its one attempt was the last, or its target is unknown', async () => {
    const last = await run('e/1', batch(delivery(1, 'status-500')), {
      schedule: { attempts: 1, backoffMs: 100 },
    });
    assert.match(last.handed[0]?.data.refusal ?? '', /^t: receiver answered 500; gave up after 1 attempts$/);
    posts = [];
    const unknown = await run('f/1', batch(delivery(1, 'x')), { target: undefined });
    assert.deepEqual(posts, []);
    assert.match(unknown.handed[0]?.data.refusal ?? '', /target arn:strata:sqs::t:webhook is not configured/);
  });

  it('at shutdown hands on untried what it has not started, to run at once', async () => {
    posts = [];
    const aborted = new AbortController();
    aborted.abort();
    const { handed } = await run('g/1', batch(delivery(1, 'x')), { signal: aborted.signal });
    assert.deepEqual(posts, []);
    assert.equal(handed[0]?.delayMs, 0);
    assert.equal(handed[0]?.data.priorAttempts, undefined);
    assert.equal(handed[0]?.data.refusal, undefined);
  });
});
