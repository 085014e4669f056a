/**
 * The outbox relay: moves events from the store's outbox to the job bus, in
 * id order. One pass reads a batch of unsent events, asks every event-triggered
 * job type which jobs each event (fromEvent) or the whole batch (fromBatch)
 * makes, adds them (one MULTI per queue, with deterministic job ids) and
 * publishes every event on the pub/sub channel, both in the same round trip,
 * then marks the batch sent.
 *
 * - Woken right after each commit that wrote events (store.onOutboxWrite), and
 *   polls for events written by other processes on the same data dir. A wake
 *   waits `coalesceMs` before the pass, so the commits of a burst share one
 *   pass (one read, one MULTI, one analytics job) instead of one pass each.
 * - Redis down: nothing in the S3 write path touches Redis, events just wait
 *   in the outbox; the relay retries with backoff and, when Redis answers
 *   again, delivers the backlog in order.
 * - A crash after enqueue and before mark-sent makes the next relay send the
 *   batch again: its job adds are no-ops (same ids), and pub/sub subscribers
 *   drop repeats by event id. Marking is throttled for the same reason: a
 *   replay of the last fraction of a second is harmless, an fsync per batch is not
 *   (the store syncs every commit): an idle relay marks on a later poll, not at once.
 * - One relay per data dir: a lease row in the store (renewed while running)
 *   keeps a second `strata serve` on the same data dir from relaying too.
 * - A batch consumer with `gatherMs` (analytics) gets the events of several
 *   passes as one batch (event-gatherer.ts): one job per gatherMs instead of
 *   one per pass. Events it holds are not marked sent, so a crash replays them.
 * - Sent events are pruned after `retentionMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobQueues, QueuedJob } from '../../shared/bus/job-queues.js';
import type { JobType } from '../../shared/bus/job-type.js';
import type { StrataEvent } from '../../shared/events.js';
import type { Logger } from '../../shared/logger.js';
import type { ObjectStore } from '../store/types.js';
import { EventGatherer } from './event-gatherer.js';

export const RELAY_LEASE = 'outbox-relay';

export interface OutboxRelayOptions<C> {
  readonly store: ObjectStore;
  readonly queues: JobQueues;
  /** The 'producer' connection the queues use; PUBLISH goes through it too. */
  readonly redis: Redis;
  /** Pub/sub channel of every event (shared/bus/channels.ts). */
  readonly channel: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly jobTypes: readonly JobType<any, any, C>[];
  readonly consumerContext: C;
  readonly log: Logger;
  readonly batchSize?: number;
  /** How often to look for events written by other processes. */
  readonly pollMs?: number;
  readonly leaseTtlMs?: number;
  /** How long sent events stay in the outbox. */
  readonly retentionMs?: number;
  /** Minimum time between two mark-sent writes. */
  readonly markEveryMs?: number;
  /** How long a pass waits after a commit's wake-up, so a burst shares it (0: none). */
  readonly coalesceMs?: number;
  /** Longest a Redis round trip may take before the pass counts as failed. */
  readonly redisTimeoutMs?: number;
}

const MAX_BACKOFF_MS = 5000;
const PRUNE_EVERY_MS = 60_000;
/** Up to this many events a pass publishes without a pipeline (see publish). */
const DIRECT_PUBLISH_MAX = 3;

export class OutboxRelay<C> {
  private readonly holder = randomUUID();
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly leaseTtlMs: number;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private coalescing: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private cursor = 0;
  /** The last event id marked sent by this relay. */
  private markedThrough = 0;
  private lastMark = 0;
  private lastPrune = 0;
  private leaseRenewedAt = 0;
  private failures = 0;
  private waiters: { id: number; resolve: () => void }[] = [];
  private closing: Promise<void> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly gatherer: EventGatherer<JobType<any, any, C>>;

  constructor(private readonly opts: OutboxRelayOptions<C>) {
    this.batchSize = opts.batchSize ?? 500;
    this.gatherer = new EventGatherer(this.batchSize);
    this.pollMs = opts.pollMs ?? 250;
    this.leaseTtlMs = opts.leaseTtlMs ?? 10_000;
  }

  /** Starts relaying in the background. */
  start(): void {
    if (this.loop || this.stopped) return;
    this.unsubscribe = this.opts.store.onOutboxWrite(() => this.wake());
    this.loop = this.run();
  }

  /** Id of the last event handed to the bus by this relay (0 before the first). */
  get deliveredThrough(): number {
    return this.cursor;
  }

  /** Resolves once every event up to `id` has been handed to the bus. */
  whenDelivered(id: number): Promise<void> {
    if (this.cursor >= id) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  private wake(): void {
    this.woken = true;
    // While backing off from a Redis failure, commits must not turn into retries;
    // without the lease there is nothing to do until the next lease attempt.
    if (this.failures !== 0 || this.leaseRenewedAt === 0 || !this.wakeUp) return;
    const ms = this.opts.coalesceMs ?? 0;
    if (ms <= 0) return this.wakeUp();
    this.coalescing ??= setTimeout(() => {
      this.coalescing = undefined;
      this.wakeUp?.();
    }, ms);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let delay = this.pollMs;
      try {
        if (this.holdLease()) {
          this.woken = false;
          const moved = await this.pass();
          if (this.failures > 0) this.opts.log.info('event relay delivering again', { after: this.failures });
          this.failures = 0;
          // A full batch means more is waiting: go on at once. Commits during the
          // pass: wait for the burst to gather, as a wake-up from sleep does.
          if (moved === this.batchSize) delay = 0;
          else if (this.woken) delay = this.opts.coalesceMs ?? 0;
          delay = Math.min(delay, this.gatherer.nextDueIn(Date.now()) ?? delay);
          this.maintain();
        } else {
          delay = Math.min(this.leaseTtlMs / 2, 2000);
        }
      } catch (err) {
        this.failures++;
        if (this.failures === 1)
          this.opts.log.warn('event relay cannot deliver; retrying', { err: (err as Error).message });
        delay = Math.min(100 * 2 ** Math.min(this.failures, 10), MAX_BACKOFF_MS);
      }
      if (delay > 0 && !this.stopped) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /** Takes or renews the lease (a SQLite write, so not on every pass). */
  private holdLease(): boolean {
    const now = Date.now();
    if (now - this.leaseRenewedAt < this.leaseTtlMs / 3) return true;
    const held = this.opts.store.acquireLease(RELAY_LEASE, this.holder, this.leaseTtlMs);
    if (!held) {
      if (this.leaseRenewedAt > 0) this.opts.log.warn('event relay lease lost to another process');
      this.leaseRenewedAt = 0;
      this.gatherer.clear(); // unmarked: the lease's new holder offers them again
      return false;
    }
    // A lease taken afresh: start from the oldest unsent event, whoever wrote or sent what before.
    if (this.leaseRenewedAt === 0) {
      this.cursor = 0;
      this.markedThrough = 0;
      this.gatherer.clear();
    }
    this.leaseRenewedAt = now;
    return true;
  }

  /**
   * One batch: enqueue, publish, advance. Returns how many events it moved.
   * `flush`: gathering consumers get what they hold now (closing).
   */
  private async pass(flush = false): Promise<number> {
    const { store, queues, redis, jobTypes } = this.opts;
    const events = store.readOutbox(this.cursor, this.batchSize);
    const now = Date.now();
    const gathered = this.gatherer.due(jobTypes, events, now, flush);
    if (events.length === 0 && gathered.size === 0) return 0;
    if (redis.status !== 'ready') throw new Error(`redis is ${redis.status}`);
    // Only changes on disk are announced (group commit, wal-sync.ts): none that a power cut undoes.
    if (events.length > 0) await store.durable();
    const jobs = await this.jobsOf(events, gathered);
    // Jobs and publications go out together (one round trip, not two): if either
    // fails the pass is retried, and both are idempotent (job ids, event ids).
    await this.timed(Promise.all([jobs.length > 0 ? queues.enqueue(jobs) : undefined, this.publish(events)]));
    this.gatherer.passed(jobTypes, events, gathered, now);
    if (events.length > 0) this.advance(events[events.length - 1]!.id);
    return events.length;
  }

  /**
   * PUBLISHes each event. A few go as plain commands: a pipeline on the
   * connection the queues share copies BullMQ's ~50 script commands when it is
   * made, which cost more than the commands themselves at one event per pass.
   */
  private async publish(events: readonly StrataEvent[]): Promise<void> {
    const { redis, channel } = this.opts;
    if (events.length <= DIRECT_PUBLISH_MAX) {
      await Promise.all(events.map((e) => redis.publish(channel, JSON.stringify(e))));
      return;
    }
    const pipeline = redis.pipeline();
    for (const e of events) pipeline.publish(channel, JSON.stringify(e));
    const failed = ((await pipeline.exec()) ?? []).find(([err]) => err);
    if (failed) throw failed[0] as Error;
  }

  /** The jobs of this pass: from `events`, and from the gathered batches that are due. */
  private async jobsOf(
    events: readonly StrataEvent[],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    gathered: ReadonlyMap<JobType<any, any, C>, readonly StrataEvent[]>,
  ): Promise<QueuedJob[]> {
    const jobs: QueuedJob[] = [];
    for (const t of this.opts.jobTypes) {
      if (!t.fromBatch) continue;
      const batch = EventGatherer.gathers(t) ? gathered.get(t) : events;
      if (!batch || batch.length === 0) continue;
      try {
        for (const j of await t.fromBatch(batch, this.opts.consumerContext))
          jobs.push({ queue: t.queue, id: j.id, data: j.data });
      } catch (err) {
        this.opts.log.error('event consumer failed; batch skipped for it', {
          queue: t.queue,
          events: `${batch[0]!.id}..${batch[batch.length - 1]!.id}`,
          err,
        });
      }
    }
    for (const e of events) {
      for (const t of this.opts.jobTypes) {
        if (!t.fromEvent || t.fromBatch) continue;
        try {
          for (const j of await t.fromEvent(e, this.opts.consumerContext))
            jobs.push({ queue: t.queue, id: j.id, data: j.data });
        } catch (err) {
          // A consumer that cannot decide must not stop every other consumer's events.
          this.opts.log.error('event consumer failed; event skipped for it', {
            queue: t.queue,
            event: e.id,
            err,
          });
        }
      }
    }
    return jobs;
  }

  private timed<T>(p: Promise<T>): Promise<T> {
    const ms = this.opts.redisTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private advance(lastId: number): void {
    this.cursor = lastId;
    const ready = this.waiters.filter((w) => w.id <= lastId);
    this.waiters = this.waiters.filter((w) => w.id > lastId);
    for (const w of ready) w.resolve();
  }

  /** Marks delivered events sent (at most every markEveryMs) and prunes old ones now and then. */
  private maintain(): void {
    const now = Date.now();
    if (this.markable() > this.markedThrough && now - this.lastMark >= (this.opts.markEveryMs ?? 200))
      this.mark();
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      const n = this.opts.store.pruneOutbox(this.opts.retentionMs ?? 24 * 3600_000);
      if (n > 0) this.opts.log.debug('outbox pruned', { events: n });
    }
  }

  /** Up to which id events are sent: delivered, and held by no gathering consumer. */
  private markable(): number {
    const held = this.gatherer.oldestId();
    return held === undefined ? this.cursor : Math.min(this.cursor, held - 1);
  }

  private mark(): void {
    const through = this.markable();
    this.opts.store.markOutboxSent(through);
    this.markedThrough = through;
    this.lastMark = Date.now();
  }

  /** Closing: what gathering consumers hold goes out now (unless Redis is away: a restart replays it). */
  private async flushGathered(): Promise<void> {
    if (!this.gatherer.holding || this.leaseRenewedAt === 0 || this.opts.redis.status !== 'ready') return;
    try {
      await this.pass(true);
    } catch (err) {
      this.opts.log.warn('event relay could not hand over gathered events; a restart replays them', {
        err: (err as Error).message,
      });
    }
  }

  /** Stops after the pass under way, marks what it delivered and gives the lease up. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true;
      this.unsubscribe?.();
      clearTimeout(this.coalescing);
      this.wakeUp?.();
      await this.loop;
      const errs: unknown[] = [];
      await this.flushGathered();
      try {
        if (this.markable() > this.markedThrough) this.mark();
      } catch (e) {
        errs.push(e);
      }
      try {
        if (this.leaseRenewedAt > 0) this.opts.store.releaseLease(RELAY_LEASE, this.holder);
      } catch (e) {
        errs.push(e);
      }
      if (errs.length > 0) throw new AggregateError(errs, 'errors while closing the event relay');
    })();
    return this.closing;
  }
}
