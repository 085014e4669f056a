import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import { eventsChannel } from '../../shared/bus/channels.js';
import { JobQueues } from '../../shared/bus/job-queues.js';
import {
  eventJobId,
  eventJobPayload,
  type EventJobPayload,
  type JobType,
} from '../../shared/bus/job-type.js';
import { closeRedis, createRedis } from '../../shared/bus/redis.js';
import type { StrataEvent } from '../../shared/events.js';
import { silentLogger } from '../../shared/logger.js';
import { body, openFixture, type StoreFixture } from '../store/store-fixture.js';
import { OutboxRelay } from './outbox-relay.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const B = 'relay';

/** Two event-triggered job types: every event, and only deletes. */
const everyEvent: JobType<EventJobPayload> = {
  queue: 'every',
  payloadVersion: 1,
  fromEvent: (e) => [{ id: eventJobId('every', e), data: eventJobPayload(e) }],
  process: async () => undefined,
};
const deletesOnly: JobType<EventJobPayload> = {
  queue: 'deletes',
  payloadVersion: 1,
  fromEvent: (e) =>
    e.record.eventName.startsWith('ObjectRemoved:')
      ? [{ id: eventJobId('deletes', e), data: eventJobPayload(e) }]
      : [],
  process: async () => undefined,
};
/** A batch type: one job per relay pass, carrying the pass's event ids. */
interface TallyPayload {
  readonly v: 1;
  readonly ids: number[];
}
const tally: JobType<TallyPayload> = {
  queue: 'tally',
  payloadVersion: 1,
  fromBatch: (es) => [
    { id: `tally-${es[0]!.id}-${es[es.length - 1]!.id}`, data: { v: 1, ids: es.map((e) => e.id) } },
  ],
  process: async () => undefined,
};
/** A batch type that gathers the events of several passes into one job (JobType.gatherMs). */
const gathering = (gatherMs: number): JobType<TallyPayload> => ({ ...tally, queue: 'gathered', gatherMs });
const broken: JobType<EventJobPayload> = {
  queue: 'broken',
  payloadVersion: 1,
  fromEvent: () => {
    throw new Error('consumer bug');
  },
  process: async () => undefined,
};

describe('outbox relay', () => {
  let f: StoreFixture;
  let prefix: string;
  let redis: Redis;
  let subscriber: Redis;
  let queues: JobQueues;
  let published: StrataEvent[];
  const relays: OutboxRelay<undefined>[] = [];

  beforeEach(async () => {
    f = await openFixture();
    f.store.createBucket(B, f.owner, 'us-east-1');
    prefix = `test-relay-${randomUUID()}`;
    redis = createRedis(REDIS_URL, 'producer');
    subscriber = createRedis(REDIS_URL, 'subscriber');
    published = [];
    subscriber.on('message', (_ch: string, m: string) => published.push(JSON.parse(m) as StrataEvent));
    await subscriber.subscribe(eventsChannel(prefix));
    queues = new JobQueues({
      connection: redis,
      prefix,
      types: [everyEvent, deletesOnly, broken, tally, gathering(1)],
      log: silentLogger,
    });
  });
  afterEach(async () => {
    for (const r of relays.splice(0)) await r.close();
    for (const q of queues.names()) await queues.queue(q).obliterate({ force: true });
    await queues.close();
    await closeRedis(subscriber);
    await closeRedis(redis);
    await f.cleanup();
  });

  const relay = (
    store = f.store,
    coalesceMs = 0,
    more: { gatherMs?: number; redis?: Redis; markEveryMs?: number } = {},
  ) => {
    const extra = more.gatherMs === undefined ? [] : [gathering(more.gatherMs)];
    const r = new OutboxRelay<undefined>({
      store,
      queues,
      redis: more.redis ?? redis,
      channel: eventsChannel(prefix),
      jobTypes: [everyEvent, deletesOnly, broken, tally, ...extra],
      consumerContext: undefined,
      log: silentLogger,
      pollMs: 20,
      coalesceMs,
      markEveryMs: more.markEveryMs,
    });
    relays.push(r);
    r.start();
    return r;
  };
  const jobIds = async (queue: string) =>
    (await queues.jobs(queue, ['waiting', 'active', 'completed', 'failed', 'delayed'], 0, 10_000))
      .map((j) => j.id!)
      .sort();
  const waitFor = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ok()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('enqueues one job per matching consumer, publishes every event in order, marks them sent', async () => {
    const r = relay();
    for (let i = 0; i < 5; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    f.store.deleteObject(B, 'k0');
    const last = f.store.outboxStats().lastId;
    await r.whenDelivered(last);
    assert.equal((await jobIds('every')).length, 6);
    assert.deepEqual(await jobIds('deletes'), [`deletes-${last}`]);
    assert.deepEqual(await jobIds('broken'), [], 'a failing consumer skips, the others go on');
    const job = await queues.job('every', `every-${last}`);
    assert.equal((job?.data as EventJobPayload).record.eventName, 'ObjectRemoved:Delete');
    await waitFor('6 published events', () => published.length === 6);
    assert.deepEqual(
      published.map((e) => e.id),
      [...Array(6).keys()].map((i) => last - 5 + i),
    );
    await waitFor('events marked sent', () => f.store.outboxStats().backlog === 0);
  });

  it('a relay replaying events another relay already enqueued (crash before mark-sent) adds no job', async () => {
    const first = relay();
    for (let i = 0; i < 10; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    f.store.deleteObject(B, 'k1');
    const last = f.store.outboxStats().lastId;
    await first.whenDelivered(last);
    await first.close();
    const before = { every: await jobIds('every'), deletes: await jobIds('deletes') };
    assert.equal(before.every.length, 11);
    // As if the first relay had died between enqueue and mark-sent.
    const db = new Database(path.join(f.dataDir, 'meta.db'));
    db.prepare('UPDATE outbox SET sent_at = NULL').run();
    db.close();
    assert.equal(f.store.outboxStats().backlog, 11);

    const second = relay();
    await second.whenDelivered(last);
    assert.deepEqual(await jobIds('every'), before.every);
    assert.deepEqual(await jobIds('deletes'), before.deletes);
    const counts = await queues.counts('every');
    assert.equal(counts.waiting, 11, 'each job exists once');
    // Pub/sub repeats them, with their ids, so subscribers can drop the repeats.
    await waitFor('22 published events', () => published.length === 22);
    assert.equal(new Set(published.map((e) => e.id)).size, 11);
  });

  const tallied = async () =>
    (await queues.jobs('tally', ['waiting'], 0, 10_000)).reverse().map((j) => (j.data as TallyPayload).ids);

  it('a batch type gets one job per pass, covering every event once and in order', async () => {
    const r = relay(f.store, 300);
    for (let i = 0; i < 3; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    await r.whenDelivered(f.store.outboxStats().lastId);
    const before = (await tallied()).length;
    // Commits on separate turns of the event loop, within the coalescing window: one pass.
    for (let i = 0; i < 3; i++) {
      f.store.putObjectTagging(B, `k${i}`, [{ key: 't', value: String(i) }]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const last = f.store.outboxStats().lastId;
    await r.whenDelivered(last);
    const batches = await tallied();
    assert.deepEqual(
      batches.slice(before),
      [[last - 2, last - 1, last]],
      'the three commits shared one pass',
    );
    assert.deepEqual(
      batches.flat(),
      [...Array(6).keys()].map((i) => last - 5 + i),
      'every event once, in order',
    );
    assert.equal((await jobIds('every')).length, 6, 'per-event types still get one job per event');
  });

  it('only the lease holder relays; another takes over when it stops', async () => {
    const a = relay();
    await f.store.putObject(B, 'k', body('x'), {});
    await a.whenDelivered(f.store.outboxStats().lastId);
    const otherStore = await f.reopen();
    const b = relay(otherStore);
    await otherStore.putObject(B, 'k2', body('x'), {});
    const last = otherStore.outboxStats().lastId;
    await a.whenDelivered(last); // a sees b's process's row by polling
    assert.equal(b.deliveredThrough, 0, 'b holds no lease, relays nothing');
    await a.close();
    await otherStore.putObject(B, 'k3', body('x'), {});
    await b.whenDelivered(otherStore.outboxStats().lastId);
    assert.equal((await jobIds('every')).length, 3);
  });

  it('delivers what was written while the relay was not running, oldest first', async () => {
    for (let i = 0; i < 30; i++) await f.store.putObject(B, `k${i}`, body('x'), {});
    const r = relay();
    await r.whenDelivered(f.store.outboxStats().lastId);
    await waitFor('30 published events', () => published.length === 30);
    const ids = published.map((e) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
    );
  });

  const gatheredJobs = async () =>
    (await queues.jobs('gathered', ['waiting'], 0, 10_000))
      .reverse()
      .map((j) => (j.data as TallyPayload).ids);
  const waitForJobs = async (what: string, n: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const jobs = await gatheredJobs();
      if (jobs.length >= n) return jobs;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** Three PUTs, each relayed by a pass of its own; their event ids. */
  const threePasses = async (r: OutboxRelay<undefined>) => {
    for (let i = 0; i < 3; i++) {
      await f.store.putObject(B, `k${i}`, body('x'), {});
      await r.whenDelivered(f.store.outboxStats().lastId);
    }
    const last = f.store.outboxStats().lastId;
    return [last - 2, last - 1, last];
  };

  it('a gathering batch type gets the events of several passes as one job, once the oldest has waited', async () => {
    const r = relay(f.store, 0, { gatherMs: 300, markEveryMs: 0 });
    const t0 = Date.now();
    const ids = await threePasses(r);
    assert.equal((await jobIds('every')).length, 3, 'per-event types do not wait');
    await waitFor('3 published events', () => published.length === 3);
    const [job] = await waitForJobs('the gathered job', 1);
    assert.ok(Date.now() - t0 >= 300, 'not before gatherMs');
    assert.deepEqual(job, ids);
    await waitFor('events marked sent', () => f.store.outboxStats().backlog === 0);
    assert.deepEqual(await gatheredJobs(), [ids], 'one job');
  });

  it('held events are not marked sent; closing hands them over', async () => {
    const r = relay(f.store, 0, { gatherMs: 60_000, markEveryMs: 0 });
    const ids = await threePasses(r);
    await new Promise((resolve) => setTimeout(resolve, 100)); // several polls, each free to mark
    assert.equal(f.store.outboxStats().backlog, 3);
    assert.deepEqual(await gatheredJobs(), []);
    await r.close();
    assert.deepEqual(await gatheredJobs(), [ids]);
    assert.equal(f.store.outboxStats().backlog, 0);
  });

  it('events a relay held but could not hand over are offered again by the next relay', async () => {
    const own = createRedis(REDIS_URL, 'producer');
    const a = relay(f.store, 0, { gatherMs: 60_000, markEveryMs: 0, redis: own });
    const ids = await threePasses(a);
    // Redis is away when it stops: it cannot hand them over.
    const ended = once(own, 'end');
    own.disconnect();
    await ended;
    await a.close();
    assert.equal(f.store.outboxStats().backlog, 3, 'still unsent');
    assert.deepEqual(await gatheredJobs(), []);
    const b = relay(f.store, 0, { gatherMs: 1 });
    const [job] = await waitForJobs('the replayed batch', 1);
    assert.deepEqual(job, ids);
    await b.close();
    assert.equal(f.store.outboxStats().backlog, 0);
  });
});
