/**
 * GET /_strata/metrics end to end: after S3 requests made with the real
 * S3Client, a scrape shows them by operation and status code, with latency
 * buckets and bytes; outbox gauges are there; and only the root user's keys
 * (Basic auth), the metrics token (Bearer) or the public mode let a scraper in.
 * With the event pipeline on: queue depth per state, job durations, failures.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bodyBytes, emptyAndDeleteBucket, rejectsWith } from '../helpers/object-kit.js';
import {
  ROOT_KEY,
  ROOT_SECRET,
  sharedRedisUrl,
  startPipelineNode,
  type PipelineNode,
} from '../helpers/pipeline-node.js';
import { parsePromText, samplesOf, valueOf, type Sample } from '../helpers/prom-text.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

const TOKEN = 'metrics-token-0123456789abcdef';

function basic(accessKey: string, secretKey: string): string {
  return 'Basic ' + Buffer.from(`${accessKey}:${secretKey}`).toString('base64');
}

async function scrape(t: TestStrata, authorization?: string): Promise<Response> {
  return fetch(`${t.endpoint}/_strata/metrics`, { headers: authorization ? { authorization } : {} });
}

async function samples(t: TestStrata): Promise<Sample[]> {
  const res = await scrape(t, basic(t.accessKey, t.secretKey));
  assert.equal(res.status, 200);
  return parsePromText(await res.text());
}

/** Scrapes until `ready` holds (a request is counted when its response closes, just after the client has it). */
async function samplesWhen(t: TestStrata, ready: (s: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = await samples(t);
    if (ready(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('metrics', () => {
  let t: TestStrata;
  const bucket = bucketName('metrics');
  const small = randomBytes(3000);
  const large = randomBytes(200_000);

  before(async () => {
    t = await startStrata({ STRATA_METRICS_TOKEN: TOKEN });
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'small.bin', Body: small }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'large.bin', Body: large }));
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large.bin' }));
    assert.equal((await bodyBytes(got.Body)).length, large.length);
    await rejectsWith(
      t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing.bin' })),
      'NoSuchKey',
      404,
    );
  });

  after(async () => {
    await emptyAndDeleteBucket(t.s3, bucket);
    await t.close();
  });

  it('serves Prometheus text format 0.0.4', async () => {
    const res = await scrape(t, basic(t.accessKey, t.secretKey));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^# HELP strata_s3_requests_total /m);
    assert.match(text, /^# TYPE strata_s3_request_duration_seconds histogram$/m);
  });

  it('counts S3 requests by operation and status code', async () => {
    const s = await samplesWhen(
      t,
      (s) => valueOf(s, 'strata_s3_requests_total', { operation: 'GetObject', code: '404' }) === 1,
    );
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'CreateBucket', code: '200' }), 1);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'PutObject', code: '200' }), 2);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'GetObject', code: '200' }), 1);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'GetObject', code: '404' }), 1);
  });

  it('has latency histograms from 1 ms to 30 s per operation', async () => {
    const s = await samples(t);
    const le = (l: string) =>
      valueOf(s, 'strata_s3_request_duration_seconds_bucket', { operation: 'PutObject', le: l });
    assert.ok(le('0.001') !== undefined && le('30') === 2 && le('+Inf') === 2);
    assert.equal(valueOf(s, 'strata_s3_request_duration_seconds_count', { operation: 'GetObject' }), 2);
    assert.ok(valueOf(s, 'strata_s3_request_duration_seconds_sum', { operation: 'PutObject' })! > 0);
  });

  it('counts at least the object sizes as bytes in and out', async () => {
    const s = await samples(t);
    assert.ok(
      valueOf(s, 'strata_s3_received_bytes_total', { operation: 'PutObject' })! >=
        small.length + large.length,
    );
    assert.ok(valueOf(s, 'strata_s3_sent_bytes_total', { operation: 'GetObject' })! >= large.length);
    // Headers are counted too, but not another request's body.
    assert.ok(
      valueOf(s, 'strata_s3_received_bytes_total', { operation: 'PutObject' })! <
        small.length + large.length + 8192,
    );
    assert.ok(valueOf(s, 'strata_s3_sent_bytes_total', { operation: 'GetObject' })! < large.length + 8192);
  });

  it('shows the outbox backlog and age, and process metrics', async () => {
    const s = await samples(t);
    assert.ok(valueOf(s, 'strata_outbox_backlog_events')! >= 0);
    assert.ok(valueOf(s, 'strata_outbox_oldest_unsent_age_seconds')! >= 0);
    assert.ok(valueOf(s, 'process_resident_memory_bytes')! > 0);
    assert.ok(valueOf(s, 'nodejs_eventloop_lag_seconds')! >= 0);
  });

  it('does not count its own scrapes as S3 requests', async () => {
    const s = await samples(t);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'Unknown', code: '200' }), undefined);
  });

  it('asks for credentials without them (401 with a Basic and a Bearer challenge)', async () => {
    const res = await scrape(t);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /Basic realm="strata"/);
    assert.match(res.headers.get('www-authenticate') ?? '', /Bearer realm="strata"/);
    assert.doesNotMatch(await res.text(), /strata_s3_requests_total/);
  });

  it('refuses wrong keys (401) and a non-root user (403)', async () => {
    assert.equal((await scrape(t, basic(t.accessKey, 'wrong-secret'))).status, 401);
    assert.equal((await scrape(t, `Bearer ${TOKEN}-nope`)).status, 401);
    t.node.store.createUser('metrics-alice', 'METRICSALICEKEY', 'alice-secret-key');
    const res = await scrape(t, basic('METRICSALICEKEY', 'alice-secret-key'));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /AccessDenied/);
  });

  it('lets a scraper in with the STRATA_METRICS_TOKEN bearer token', async () => {
    const res = await scrape(t, `Bearer ${TOKEN}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /strata_s3_requests_total/);
  });
});

describe('metrics with STRATA_METRICS_AUTH=public', () => {
  it('answers without credentials', async () => {
    const t = await startStrata({ STRATA_METRICS_AUTH: 'public' });
    try {
      const res = await scrape(t);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^# TYPE strata_s3_requests_total counter$/m);
    } finally {
      await t.close();
    }
  });
});

describe('metrics with the event pipeline on', () => {
  let p: PipelineNode;
  const bucket = bucketName('metrics-pipeline');

  // A webhook target that refuses every delivery with 400: a failure no retry can fix.
  let refusals = 0;
  const refusing = http.createServer((req, res) => {
    req.resume();
    refusals++;
    res.statusCode = 400;
    res.end();
  });

  before(async () => {
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    p = await startPipelineNode(sharedRedisUrl(), {
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_REFUSING: `http://127.0.0.1:${port}/hook`,
    });
    await p.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await p.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'a' }));
  });

  after(async () => {
    await emptyAndDeleteBucket(p.s3, bucket);
    await p.close();
    refusing.closeAllConnections();
    await new Promise((resolve) => refusing.close(resolve));
  });

  async function pipelineSamples(ready: (s: Sample[]) => boolean): Promise<Sample[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await fetch(`${p.endpoint}/_strata/metrics`, {
        headers: { authorization: basic(ROOT_KEY, ROOT_SECRET) },
      });
      assert.equal(res.status, 200);
      const s = parsePromText(await res.text());
      if (ready(s) || Date.now() > deadline) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('shows queue depth per state, job durations and an empty outbox once the event is handled', async () => {
    const queues = p.node.events!.queues.names();
    assert.ok(queues.length > 0);
    const s = await pipelineSamples(
      (s) =>
        valueOf(s, 'strata_outbox_backlog_events') === 0 &&
        samplesOf(s, 'strata_job_duration_seconds_count', { status: 'completed' }).some((x) => x.value >= 1),
    );
    assert.equal(valueOf(s, 'strata_outbox_backlog_events'), 0);
    assert.equal(valueOf(s, 'strata_outbox_oldest_unsent_age_seconds'), 0);
    assert.equal(valueOf(s, 'strata_redis_up'), 1);
    for (const queue of queues) {
      for (const state of ['waiting', 'active', 'delayed', 'completed', 'failed']) {
        assert.notEqual(valueOf(s, 'strata_queue_jobs', { queue, state }), undefined, `${queue} ${state}`);
      }
    }
    const completed = samplesOf(s, 'strata_job_duration_seconds_count', { status: 'completed' });
    const queue = completed.find((x) => x.value >= 1)!.labels['queue']!;
    assert.ok(valueOf(s, 'strata_queue_jobs', { queue, state: 'completed' })! >= 1);
    assert.notEqual(
      valueOf(s, 'strata_job_duration_seconds_bucket', { queue, status: 'completed', le: '+Inf' }),
      undefined,
    );
  });

  it('counts a failed job and its duration', async () => {
    await p.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            { QueueArn: 'arn:strata:sqs::REFUSING:webhook', Events: ['s3:ObjectCreated:*'] },
          ],
        },
      }),
    );
    await p.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'refused.txt', Body: 'b' }));
    const s = await pipelineSamples(
      (s) => valueOf(s, 'strata_job_failures_total', { queue: 'webhook' }) === 1,
    );
    assert.equal(valueOf(s, 'strata_job_failures_total', { queue: 'webhook' }), 1);
    assert.equal(valueOf(s, 'strata_job_duration_seconds_count', { queue: 'webhook', status: 'failed' }), 1);
    assert.equal(valueOf(s, 'strata_queue_jobs', { queue: 'webhook', state: 'failed' }), 1);
    assert.equal(refusals, 1);
  });
});
