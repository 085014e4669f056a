/**
 * The producer side of the job bus: one BullMQ Queue per job type, all under
 * config.redisPrefix. Used by the relay (enqueue), GraphQL (counts, jobs,
 * retry) and metrics (depth per state). Queues share one 'producer'
 * connection (redis.ts), which this class does not close.
 */
import { Queue, type Job, type JobType as BullJobState } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { DEFAULT_JOB_OPTIONS } from './job-options.js';
import { UnknownQueueError, type JobPayload, type JobType } from './job-type.js';

export interface QueuedJob<P extends JobPayload = JobPayload> {
  readonly queue: string;
  /** Deterministic id: adding a job whose id exists is a no-op. */
  readonly id: string;
  readonly data: P;
}

/** Job states as BullMQ names them. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobQueuesOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly types: readonly Pick<JobType, 'queue' | 'jobOptions'>[];
  readonly log: Logger;
}

export class JobQueues {
  private readonly queues = new Map<string, Queue>();
  private closing: Promise<void> | undefined;

  constructor(opts: JobQueuesOptions) {
    for (const t of opts.types) {
      const q = new Queue(t.queue, {
        connection: opts.connection,
        prefix: opts.prefix,
        defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...t.jobOptions },
      });
      // A Queue re-emits connection errors; unhandled, an 'error' event would crash the process.
      q.on('error', (err) => opts.log.debug('queue error', { queue: t.queue, err: err.message }));
      this.queues.set(t.queue, q);
    }
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new UnknownQueueError(name, this.names());
    return q;
  }

  /** Adds jobs, one MULTI per queue, in the given order; jobs whose id exists are skipped by BullMQ. */
  async enqueue<P extends JobPayload>(jobs: readonly QueuedJob<P>[]): Promise<void> {
    const byQueue = new Map<string, QueuedJob<P>[]>();
    for (const j of jobs) {
      const list = byQueue.get(j.queue) ?? [];
      list.push(j);
      byQueue.set(j.queue, list);
    }
    await Promise.all(
      [...byQueue].map(([name, list]) =>
        this.queue(name).addBulk(list.map((j) => ({ name, data: j.data, opts: { jobId: j.id } }))),
      ),
    );
  }

  /** Job counts of a queue by state. */
  async counts(name: string): Promise<Record<JobState, number>> {
    const c = await this.queue(name).getJobCounts(...JOB_STATES);
    return Object.fromEntries(JOB_STATES.map((s) => [s, c[s] ?? 0])) as Record<JobState, number>;
  }

  /** Jobs of a queue in the given states, newest first, from `start` to `end` inclusive. */
  async jobs(name: string, states: readonly JobState[], start = 0, end = 49): Promise<Job[]> {
    const jobs = await this.queue(name).getJobs([...states] as BullJobState[], start, end, false);
    return jobs.filter((j): j is Job => j !== undefined && j !== null);
  }

  async job(name: string, id: string): Promise<Job | undefined> {
    return (await this.queue(name).getJob(id)) ?? undefined;
  }

  /** Moves a failed job back to waiting; false when there is no such failed job. */
  async retryJob(name: string, id: string): Promise<boolean> {
    const job = await this.queue(name).getJob(id);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry('failed');
    return true;
  }

  /** Closes every queue (not the shared connection). Idempotent; runs every close even if one fails. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
      const errs = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (errs.length > 0) throw new AggregateError(errs, 'errors while closing queues');
    })();
    return this.closing;
  }
}
