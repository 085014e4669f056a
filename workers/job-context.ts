/**
 * What Strata's job types get: `process` receives a WorkerContext (the store,
 * a Redis connection, config, log, the queues); `fromEvent` — run by the outbox relay to
 * decide which jobs an event makes — receives a ConsumerContext (config and the
 * store, e.g. to read a bucket's notification configuration).
 */
import type { Redis } from 'ioredis';
import type { JobQueues } from '../shared/bus/job-queues.js';
import type { JobPayload, JobType } from '../shared/bus/job-type.js';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { ObjectStore } from '../services/store/types.js';

export interface WorkerContext {
  readonly config: Config;
  readonly log: Logger;
  readonly store: ObjectStore;
  /** A 'worker' connection (shared/bus/redis.ts): commands wait while Redis reconnects. */
  readonly redis: Redis;
  /** The job bus's queues, for jobs that hand work on (a webhook batch's failed deliveries). */
  readonly queues: JobQueues;
}

export interface ConsumerContext {
  readonly config: Config;
  readonly store: ObjectStore;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StrataJobType<P extends JobPayload = any> = JobType<P, WorkerContext, ConsumerContext>;
