/**
 * The consumer side of the job bus: one BullMQ Worker per job type (or per
 * chosen queue). close() drains: it stops taking jobs and waits for the active
 * ones to finish (https://docs.bullmq.io/guide/workers/graceful-shutdown); a
 * job that outlives `drainTimeoutMs` gets its signal aborted and is left to
 * BullMQ's stalled-job check, which hands it to another worker.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { JobPayload, JobType } from './job-type.js';

/** A job type of any payload, run with deps D (what each type checks is its own payload). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WorkerJobType<D> = JobType<any, D, any>;

export interface JobWorkersOptions<D> {
  /** A 'worker' connection (redis.ts); each Worker duplicates it for its blocking reads. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly types: readonly WorkerJobType<D>[];
  readonly deps: D;
  readonly log: Logger;
  /**
   * How long a worker's lock on an active job lasts; a job whose worker died is
   * retried after about this long (BullMQ's lockDuration; stalled checks run
   * every half of it). Default 30 s.
   */
  readonly lockDurationMs?: number;
  /** How long close() waits for active jobs before aborting them. Default 30 s. */
  readonly drainTimeoutMs?: number;
}

export class JobWorkers<D> {
  private readonly workers: Worker[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: JobWorkersOptions<D>) {
    const lock = opts.lockDurationMs ?? 30_000;
    for (const type of opts.types) {
      const w = new Worker(
        type.queue,
        (job: Job<JobPayload>, _token, signal) => this.run(type, job, signal),
        {
          connection: opts.connection,
          prefix: opts.prefix,
          concurrency: type.concurrency ?? 4,
          lockDuration: lock,
          stalledInterval: Math.max(100, Math.floor(lock / 2)),
          maxStalledCount: 2,
        },
      );
      w.on('error', (err) => opts.log.debug('worker error', { queue: type.queue, err: err.message }));
      w.on('failed', (job, err) =>
        opts.log.warn('job failed', {
          queue: type.queue,
          id: job?.id,
          attempt: job?.attemptsMade,
          err: err.message,
        }),
      );
      this.workers.push(w);
    }
  }

  /** The queues these workers serve. */
  queues(): string[] {
    return this.workers.map((w) => w.name);
  }

  /** The BullMQ workers, for observers: metrics listen to their completed / failed events. */
  list(): readonly Worker[] {
    return this.workers;
  }

  /** Resolves once every worker is connected. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  private async run(
    type: WorkerJobType<D>,
    job: Job<JobPayload>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const v = job.data?.v;
    if (typeof v !== 'number' || v > type.payloadVersion) {
      throw new UnrecoverableError(
        `payload version ${String(v)} of a "${type.queue}" job is not one this worker knows (${type.payloadVersion})`,
      );
    }
    return type.process(job, signal ?? new AbortController().signal, this.opts.deps);
  }

  /** Stops taking jobs and waits for the active ones. Idempotent; closes every worker even if one fails. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const timeout = this.opts.drainTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.opts.log.warn('jobs still running at shutdown; aborting them');
        for (const w of this.workers) w.cancelAllJobs('shutdown');
      }, timeout);
      timer.unref();
      const results = await Promise.allSettled(this.workers.map((w) => w.close()));
      clearTimeout(timer);
      const errs = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (errs.length > 0) throw new AggregateError(errs, 'errors while closing workers');
    })();
    return this.closing;
  }
}
