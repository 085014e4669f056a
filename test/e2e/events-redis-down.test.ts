/**
 * Fault test: Redis goes away while objects are written. S3 keeps working,
 * events wait in the outbox, and when Redis is back every event reaches the
 * job bus, in order, once. Uses a redis-server of its own (TestRedisServer).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { eventCountsKey } from '../../shared/bus/channels.js';
import { EventSubscriber, TestRedisServer, waitUntil } from '../helpers/event-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import type { EventCountsPayload } from '../../workers/event-counts.js';
import { Redis } from 'ioredis';

const N = 25;

describe('events while Redis is down', () => {
  let redis: TestRedisServer;
  before(async () => {
    redis = await TestRedisServer.start();
  });
  after(async () => {
    await redis?.stop();
  });

  const writeWhileDown = async (t: TestStrata, bucket: string) => {
    await redis.stop();
    const started = Date.now();
    for (let i = 0; i < N; i++) {
      await t.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `k${String(i).padStart(3, '0')}`, Body: `v${i}` }),
      );
    }
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k000' }));
    assert.equal(await got.Body!.transformToString(), 'v0', 'reads work without Redis too');
    assert.ok(Date.now() - started < 10_000, 'writes did not wait for Redis');
    assert.ok(t.node.store.outboxStats().backlog >= N, 'the events wait in the outbox');
  };

  it('relay: the events written during the outage are enqueued once each, in order', async () => {
    const prefix = `test-down-${randomUUID()}`;
    const t = await startStrata(
      { STRATA_REDIS_URL: redis.url, STRATA_REDIS_PREFIX: prefix },
      { relay: true },
    );
    let sub: EventSubscriber | undefined;
    try {
      const bucket = bucketName('down');
      await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await writeWhileDown(t, bucket);
      await redis.start();
      sub = await EventSubscriber.open(redis.url, prefix);
      const queue = t.node.events!.queues.queue('analytics');
      // Analytics jobs carry their batch's event ids by bucket and event name (one job per relay pass).
      const groups = await waitUntil('every event enqueued', async () => {
        // The node's connection fails fast until it has reconnected.
        const waiting = await queue.getJobs(['waiting'], 0, -1, true).catch(() => []);
        const mine = waiting.flatMap((j) =>
          (j.data as EventCountsPayload).counts.filter((g) => g.bucket === bucket),
        );
        return mine.reduce((n, g) => n + g.eventIds.length, 0) >= N + 1 ? mine : undefined;
      });
      const puts = groups.filter((g) => g.eventName === 'ObjectCreated:Put').flatMap((g) => g.eventIds);
      assert.equal(puts.length, N, 'one event per PUT');
      // Outbox ids follow commit order, and the PUTs were made one after another.
      assert.deepEqual(
        puts,
        [...new Set(puts)].sort((a, b) => a - b),
        'each once, in the order of the writes',
      );
      const all = groups.flatMap((g) => g.eventIds);
      assert.equal(new Set(all).size, all.length, 'no event enqueued twice');
      await waitUntil('outbox drained', () => t.node.store.outboxStats().backlog === 0);
      // Writes after the outage flow as before (and reach live subscribers).
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after', Body: 'x' }));
      await sub.find('the event of a write after the outage', (e) => e.record.s3.object.key === 'after');
    } finally {
      sub?.close();
      await t.close();
    }
  });

  it('workers in the same process pick up again and process every event once', async () => {
    const prefix = `test-down-${randomUUID()}`;
    const t = await startStrata(
      { STRATA_REDIS_URL: redis.url, STRATA_REDIS_PREFIX: prefix },
      { relay: true, workers: true },
    );
    const client = new Redis(redis.url, { retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      const bucket = bucketName('down');
      await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await writeWhileDown(t, bucket);
      await redis.start();
      const counts = await waitUntil(
        'counters of every PUT',
        async () => {
          const c = await client
            .hgetall(eventCountsKey(prefix, bucket))
            .catch(() => ({}) as Record<string, string>);
          return Number(c['ObjectCreated:Put'] ?? 0) >= N ? c : undefined;
        },
        20_000,
      );
      assert.equal(Number(counts['ObjectCreated:Put']), N);
      const c = await t.node.events!.queues.counts('analytics');
      assert.equal(c.failed, 0);
    } finally {
      client.disconnect();
      await t.close();
    }
  });
});
