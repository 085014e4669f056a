/**
 * The contract of one job type on the BullMQ job bus. Each job type lives in
 * its own file under workers/ and is listed once in workers/registry.ts: a
 * queue name, a payload that carries ids and its shape's version (never
 * object bytes), `process(job, signal, deps)` that calls a service, and — for
 * jobs triggered by object events — `fromEvent`, which the outbox relay calls
 * to turn an event into zero or more jobs (or `fromBatch`, called once per
 * relay batch, for work that adds up over events).
 *
 * Job ids are deterministic, so enqueueing the same job twice (a relay that
 * crashed between enqueue and mark-sent, then replays) is a no-op: BullMQ
 * ignores an add whose id exists, and completed jobs are kept for a while
 * (job-options.ts) so the check also covers recently finished jobs.
 * https://docs.bullmq.io/guide/jobs/job-ids
 */
import type { Job, JobsOptions } from 'bullmq';
import type { S3EventRecord, StrataEvent } from '../events.js';

/** Every payload names its shape's version, so a worker can refuse a shape it does not know. */
export interface JobPayload {
  readonly v: number;
}

/** The usual payload of an event-triggered job: the event id and the S3 event record. */
export interface EventJobPayload extends JobPayload {
  readonly v: 1;
  readonly eventId: number;
  readonly record: S3EventRecord;
}

/** One job an event makes: its deterministic id (no ':', not all digits) and payload. */
export interface EventJob<P extends JobPayload> {
  readonly id: string;
  readonly data: P;
}

/**
 * @typeParam D what `process` gets (store, Redis, config…: workers/job-context.ts)
 * @typeParam C what `fromEvent` gets to decide (store lookups, config)
 */
export interface JobType<P extends JobPayload = JobPayload, D = unknown, C = unknown> {
  /** BullMQ queue (and job name) of this type: lower-case, no ':'. */
  readonly queue: string;
  /** Version of the payload shape this code writes and reads. */
  readonly payloadVersion: number;
  /** Jobs run at once by one worker process (default 4). */
  readonly concurrency?: number;
  /** Overrides of the default attempts / backoff / retention (job-options.ts). */
  readonly jobOptions?: JobsOptions;
  /**
   * Does the work by calling a service; reports progress with job.updateProgress.
   * Throw BullMQ's UnrecoverableError for failures a retry cannot fix. `signal`
   * aborts when the worker is forced to stop.
   */
  process(job: Job<P>, signal: AbortSignal, deps: D): Promise<unknown>;
  /** For event-triggered types: the jobs this event makes (none when not interested). */
  fromEvent?(event: StrataEvent, ctx: C): readonly EventJob<P>[] | Promise<readonly EventJob<P>[]>;
  /**
   * Instead of fromEvent: the jobs a whole relay batch makes, so a type can
   * share work across it (one counting job for many events, one configuration
   * read per bucket). `events` are in outbox order. A job covering several
   * events takes its id from their ids, and its `process` must be idempotent
   * per event: a replay after a relay crash may cut its batches differently.
   */
  fromBatch?(
    events: readonly StrataEvent[],
    ctx: C,
  ): readonly EventJob<P>[] | Promise<readonly EventJob<P>[]>;
  /**
   * With fromBatch, for consumers that need not follow each event at once
   * (counters): the relay gathers the events of several passes and calls
   * fromBatch once the oldest has waited this long (or the batch is full),
   * so there is one job per gatherMs instead of one per pass. Off when unset.
   */
  readonly gatherMs?: number;
}

/** The default job id of an event-triggered job: one job per (queue, event). */
export function eventJobId(queue: string, event: StrataEvent): string {
  return `${queue}-${event.id}`;
}

/** The default payload of an event-triggered job. */
export function eventJobPayload(event: StrataEvent): EventJobPayload {
  return { v: 1, eventId: event.id, record: event.record };
}

/** A queue name that no registered job type has. */
export class UnknownQueueError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`unknown queue "${name}"; queues: ${known.join(', ')}`);
    this.name = 'UnknownQueueError';
  }
}
