/**
 * Event-pipeline metrics: the outbox backlog and the age of its oldest unsent
 * event, job counts per queue and state (both computed at scrape time), and
 * job durations and failures from the in-process workers' events.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the store's outbox reports (ObjectStore.outboxStats): unsent events and the oldest one's age. */
export interface OutboxGaugeSource {
  (): { readonly backlog: number; readonly oldestAgeMs: number | undefined };
}

/** A job queue as BullMQ's Queue presents it (structural, so tests can pass a fake). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: JobState[]): Promise<{ [state: string]: number }>;
}

/** A worker as BullMQ's Worker presents it: the events job metrics listen to. */
export interface ObservableWorker {
  readonly name: string;
  on(event: 'completed', listener: (job: FinishedJob) => void): unknown;
  on(event: 'failed', listener: (job: FinishedJob | undefined, error: Error) => void): unknown;
}

interface FinishedJob {
  readonly processedOn?: number;
  readonly finishedOn?: number;
}

/** BullMQ's job states, reported as the `state` label. */
export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;
type JobState = (typeof JOB_STATES)[number];

/** Job durations run from milliseconds (an index update) to minutes (a tier move). */
export const JOB_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface PipelineSources {
  readonly outboxStats?: OutboxGaugeSource;
  /** The queues to count; read at every scrape, so queues created later are included. */
  readonly queues?: () => readonly CountableQueue[];
  /** How long a scrape waits for Redis before reporting strata_redis_up 0 (default 500 ms). */
  readonly queueCountTimeoutMs?: number;
}

export class PipelineMetrics {
  private readonly jobDuration: Histogram<'queue' | 'status'>;
  private readonly jobFailures: Counter<'queue'>;

  constructor(registry: Registry, sources: PipelineSources) {
    const registers = [registry];
    const outbox = sources.outboxStats;
    if (outbox) {
      new Gauge({
        name: 'strata_outbox_backlog_events',
        help: 'Events in the outbox not yet handed to the job bus.',
        registers,
        collect() {
          this.set(outbox().backlog);
        },
      });
      new Gauge({
        name: 'strata_outbox_oldest_unsent_age_seconds',
        help: 'Age of the oldest event in the outbox not yet handed to the job bus (0 when none).',
        registers,
        collect() {
          this.set((outbox().oldestAgeMs ?? 0) / 1000);
        },
      });
    }
    const queues = sources.queues;
    if (queues) {
      const timeoutMs = sources.queueCountTimeoutMs ?? 500;
      // Both gauges below share one round of queries per scrape.
      let inFlight: Promise<QueueCounts | undefined> | undefined;
      const counts = () =>
        (inFlight ??= countAll(queues(), timeoutMs).finally(() => {
          inFlight = undefined;
        }));
      new Gauge({
        name: 'strata_queue_jobs',
        help: 'Jobs per queue and state (BullMQ getJobCounts), read at scrape time.',
        labelNames: ['queue', 'state'],
        registers,
        async collect() {
          this.reset();
          for (const [queue, byState] of (await counts()) ?? []) {
            for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
          }
        },
      });
      new Gauge({
        name: 'strata_redis_up',
        help: 'Whether Redis answered the job-count queries of this scrape in time (1) or not (0).',
        registers,
        async collect() {
          this.set((await counts()) === undefined ? 0 : 1);
        },
      });
    }
    this.jobDuration = new Histogram({
      name: 'strata_job_duration_seconds',
      help: 'Time workers of this process spent on a job attempt, by queue and outcome (completed, failed).',
      labelNames: ['queue', 'status'],
      buckets: JOB_DURATION_BUCKETS,
      registers,
    });
    this.jobFailures = new Counter({
      name: 'strata_job_failures_total',
      help: "Job attempts that failed in this process's workers (BullMQ 'failed' events), by queue.",
      labelNames: ['queue'],
      registers,
    });
  }

  /** Listens to a worker's completed / failed events. */
  observeWorker(worker: ObservableWorker): void {
    const queue = worker.name;
    worker.on('completed', (job) => {
      this.jobDuration.observe({ queue, status: 'completed' }, jobSeconds(job));
    });
    worker.on('failed', (job) => {
      this.jobFailures.inc({ queue });
      if (job) this.jobDuration.observe({ queue, status: 'failed' }, jobSeconds(job));
    });
  }
}

function jobSeconds(job: FinishedJob): number {
  if (job.processedOn === undefined) return 0;
  return Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
}

/** Counts of every queue, or undefined when Redis did not answer within the timeout. */
type QueueCounts = Array<[string, { [state: string]: number }]>;

async function countAll(
  queues: readonly CountableQueue[],
  timeoutMs: number,
): Promise<QueueCounts | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  // A failure, or an answer that comes after the timeout, reads as "Redis did not answer".
  const all: Promise<QueueCounts | undefined> = Promise.all(
    queues.map(async (q) => [q.name, await q.getJobCounts(...JOB_STATES)] as QueueCounts[number]),
  ).catch(() => undefined);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
