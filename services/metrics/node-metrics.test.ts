import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { parsePromText, samplesOf, valueOf } from '../../test/helpers/prom-text.js';
import { createNodeMetrics } from './node-metrics.js';
import { JOB_STATES, type CountableQueue, type ObservableWorker } from './pipeline-metrics.js';
import { LATENCY_BUCKETS } from './s3-request-metrics.js';

async function scrape(m: ReturnType<typeof createNodeMetrics>) {
  return parsePromText(await m.render());
}

function fakeQueue(name: string, counts: Record<string, number> | 'hang' | 'fail'): CountableQueue {
  return {
    name,
    getJobCounts: () =>
      counts === 'hang'
        ? new Promise(() => undefined)
        : counts === 'fail'
          ? Promise.reject(new Error('Connection is closed.'))
          : Promise.resolve({ ...counts }),
  };
}

function fakeWorker(name: string): ObservableWorker & EventEmitter {
  return Object.assign(new EventEmitter(), { name }) as ObservableWorker & EventEmitter;
}

describe('node metrics', () => {
  it('counts S3 requests by operation and code, with latency buckets from 1 ms to 30 s and bytes', async () => {
    const m = createNodeMetrics();
    m.s3.record('PutObject', 200, 0.004, 1100, 300);
    m.s3.record('PutObject', 200, 0.02, 1100, 300);
    m.s3.record('GetObject', 404, 0.0005, 200, 500);
    const s = await scrape(m);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'PutObject', code: '200' }), 2);
    assert.equal(valueOf(s, 'strata_s3_requests_total', { operation: 'GetObject', code: '404' }), 1);
    const buckets = samplesOf(s, 'strata_s3_request_duration_seconds_bucket', { operation: 'PutObject' });
    assert.deepEqual(
      buckets.map((b) => b.labels['le']),
      [...LATENCY_BUCKETS.map(String), '+Inf'],
    );
    assert.equal(
      valueOf(s, 'strata_s3_request_duration_seconds_bucket', { operation: 'PutObject', le: '0.005' }),
      1,
    );
    assert.equal(valueOf(s, 'strata_s3_request_duration_seconds_count', { operation: 'PutObject' }), 2);
    assert.equal(valueOf(s, 'strata_s3_received_bytes_total', { operation: 'PutObject' }), 2200);
    assert.equal(valueOf(s, 'strata_s3_sent_bytes_total', { operation: 'GetObject' }), 500);
  });

  it('keeps two nodes in one process apart, and both show the process metrics', async () => {
    const a = createNodeMetrics();
    const b = createNodeMetrics();
    a.s3.record('HeadObject', 200, 0.001, 10, 10);
    const [sa, sb] = [await scrape(a), await scrape(b)];
    assert.equal(valueOf(sa, 'strata_s3_requests_total', { operation: 'HeadObject', code: '200' }), 1);
    assert.equal(
      valueOf(sb, 'strata_s3_requests_total', { operation: 'HeadObject', code: '200' }),
      undefined,
    );
    for (const s of [sa, sb]) {
      assert.ok(valueOf(s, 'process_cpu_user_seconds_total')! >= 0);
      assert.ok(valueOf(s, 'nodejs_heap_size_used_bytes')! > 0);
    }
    assert.match(a.contentType, /^text\/plain; version=0\.0\.4/);
  });

  it('reads the outbox backlog and the oldest unsent event age at scrape time', async () => {
    let stats: { backlog: number; oldestAgeMs: number | undefined } = { backlog: 0, oldestAgeMs: undefined };
    const m = createNodeMetrics({ outboxStats: () => stats });
    let s = await scrape(m);
    assert.equal(valueOf(s, 'strata_outbox_backlog_events'), 0);
    assert.equal(valueOf(s, 'strata_outbox_oldest_unsent_age_seconds'), 0);
    stats = { backlog: 7, oldestAgeMs: 2500 };
    s = await scrape(m);
    assert.equal(valueOf(s, 'strata_outbox_backlog_events'), 7);
    assert.equal(valueOf(s, 'strata_outbox_oldest_unsent_age_seconds'), 2.5);
  });

  it('reports job counts per queue and state, and Redis up', async () => {
    const queues = [
      fakeQueue('index', { waiting: 3, active: 1, failed: 2 }),
      fakeQueue('webhook', { delayed: 5 }),
    ];
    const m = createNodeMetrics({ queues: () => queues });
    const s = await scrape(m);
    assert.equal(valueOf(s, 'strata_queue_jobs', { queue: 'index', state: 'waiting' }), 3);
    assert.equal(valueOf(s, 'strata_queue_jobs', { queue: 'index', state: 'failed' }), 2);
    assert.equal(valueOf(s, 'strata_queue_jobs', { queue: 'webhook', state: 'delayed' }), 5);
    assert.equal(valueOf(s, 'strata_queue_jobs', { queue: 'webhook', state: 'active' }), 0);
    assert.equal(samplesOf(s, 'strata_queue_jobs').length, 2 * JOB_STATES.length);
    assert.equal(valueOf(s, 'strata_redis_up'), 1);
  });

  for (const behaviour of ['hang', 'fail'] as const) {
    it(`answers within the timeout when Redis does not (${behaviour}), with strata_redis_up 0`, async () => {
      let counts: Record<string, number> | 'hang' | 'fail' = { waiting: 1 };
      const m = createNodeMetrics({ queues: () => [fakeQueue('index', counts)], queueCountTimeoutMs: 100 });
      assert.equal(valueOf(await scrape(m), 'strata_queue_jobs', { queue: 'index', state: 'waiting' }), 1);
      counts = behaviour;
      const started = Date.now();
      const s = await scrape(m);
      assert.ok(Date.now() - started < 2000, 'the scrape did not wait for Redis');
      assert.equal(valueOf(s, 'strata_redis_up'), 0);
      // Stale counts are dropped rather than shown as current.
      assert.equal(samplesOf(s, 'strata_queue_jobs').length, 0);
    });
  }

  it('measures job durations and counts failures from worker events', async () => {
    const m = createNodeMetrics();
    const w = fakeWorker('webhook');
    m.pipeline.observeWorker(w);
    w.emit('completed', { processedOn: 1000, finishedOn: 1030 });
    w.emit('completed', { processedOn: 1000, finishedOn: 3000 });
    w.emit('failed', { processedOn: 1000, finishedOn: 1100 }, new Error('target down'));
    w.emit('failed', undefined, new Error('lost'));
    const s = await scrape(m);
    assert.equal(
      valueOf(s, 'strata_job_duration_seconds_count', { queue: 'webhook', status: 'completed' }),
      2,
    );
    assert.equal(
      valueOf(s, 'strata_job_duration_seconds_bucket', { queue: 'webhook', status: 'completed', le: '0.05' }),
      1,
    );
    assert.equal(
      valueOf(s, 'strata_job_duration_seconds_sum', { queue: 'webhook', status: 'completed' }),
      2.03,
    );
    assert.equal(valueOf(s, 'strata_job_duration_seconds_count', { queue: 'webhook', status: 'failed' }), 1);
    assert.equal(valueOf(s, 'strata_job_failures_total', { queue: 'webhook' }), 2);
  });
});
