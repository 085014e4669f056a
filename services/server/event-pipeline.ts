/**
 * The event pipeline of one process: Redis connections, the job queues, and —
 * as the process's role asks — the outbox relay and the job workers.
 * `strata serve` runs relay + workers, `strata serve --no-workers` the relay
 * only, `strata worker` the workers only (of all or some queues).
 *
 * close() runs in dependency order, every step even when one fails: stop the
 * relay (it marks what it delivered), drain the workers (active jobs finish),
 * close the queues, then the Redis connections. The store is the caller's.
 */
import type { Redis } from 'ioredis';
import { eventsChannel } from '../../shared/bus/channels.js';
import { JobQueues } from '../../shared/bus/job-queues.js';
import { JobWorkers } from '../../shared/bus/job-workers.js';
import { closeRedis, createRedis, redisReady } from '../../shared/bus/redis.js';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { JOB_TYPES, jobTypesFor } from '../../workers/registry.js';
import type { ConsumerContext, WorkerContext } from '../../workers/job-context.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import type { ObjectStore } from '../store/types.js';

export interface EventPipelineOptions {
  /** Run the outbox relay (one per data dir is active; a lease picks it). */
  readonly relay: boolean;
  /** Run workers: for every queue (true), the listed queues, or none (false). */
  readonly workers: boolean | readonly string[];
}

export interface EventPipeline {
  /** The 'producer' connection (queues, PUBLISH); fails fast while Redis is down. */
  readonly redis: Redis;
  /** Every registered queue (counts, jobs, retry). */
  readonly queues: JobQueues;
  readonly relay: OutboxRelay<ConsumerContext> | undefined;
  readonly workers: JobWorkers<WorkerContext> | undefined;
  /** Resolves when Redis answers and the workers are connected; rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function createEventPipeline(
  config: Config,
  log: Logger,
  store: ObjectStore,
  opts: EventPipelineOptions,
): EventPipeline {
  const types = opts.workers === false ? [] : jobTypesFor(opts.workers === true ? undefined : opts.workers);
  const redis = createRedis(config.redisUrl, 'producer', { log, name: 'strata-producer' });
  const queues = new JobQueues({ connection: redis, prefix: config.redisPrefix, types: JOB_TYPES, log });
  const workerRedis =
    types.length > 0 ? createRedis(config.redisUrl, 'worker', { log, name: 'strata-worker' }) : undefined;
  const workers =
    workerRedis &&
    new JobWorkers<WorkerContext>({
      connection: workerRedis,
      prefix: config.redisPrefix,
      types,
      deps: { config, log, store, redis: workerRedis, queues },
      log,
      lockDurationMs: config.jobs.lockDurationMs,
    });
  const relay = opts.relay
    ? new OutboxRelay<ConsumerContext>({
        store,
        queues,
        redis,
        channel: eventsChannel(config.redisPrefix),
        jobTypes: JOB_TYPES,
        consumerContext: { config, store },
        log,
        coalesceMs: config.jobs.relayCoalesceMs,
      })
    : undefined;
  relay?.start();

  let closing: Promise<void> | undefined;
  return {
    redis,
    queues,
    relay,
    workers,
    async ready(timeoutMs = 10_000) {
      await redisReady(redis, timeoutMs);
      if (workers) await workers.ready();
    },
    close() {
      closing ??= (async () => {
        const errs: unknown[] = [];
        const step = async (fn: () => unknown) => {
          try {
            await fn();
          } catch (e) {
            errs.push(e);
          }
        };
        await step(() => relay?.close());
        await step(() => workers?.close());
        await step(() => queues.close());
        await step(() => workerRedis && closeRedis(workerRedis));
        await step(() => closeRedis(redis));
        if (errs.length > 0) throw new AggregateError(errs, 'errors while closing the event pipeline');
      })();
      return closing;
    },
  };
}
