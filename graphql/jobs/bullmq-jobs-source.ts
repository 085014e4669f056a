/**
 * JobsSource over the job bus's BullMQ Queues (shared/bus/job-queues.ts):
 * Queue.getJobCounts, Queue.getJobs and Job.retry.
 * https://docs.bullmq.io/guide/jobs/getters
 */
import type { Job, JobType, Queue } from 'bullmq';
import { errors } from '../../shared/errors.js';
import { JOB_STATES, type JobStateName, type JobsSource, type JobView } from './jobs-source.js';

/** Payloads carry ids and a version; a summary of 1 KiB is plenty to recognise a job. */
const DATA_SUMMARY_CHARS = 1024;

const TO_BULLMQ: Record<JobStateName, JobType> = {
  waiting: 'waiting',
  active: 'active',
  delayed: 'delayed',
  prioritized: 'prioritized',
  waitingChildren: 'waiting-children',
  completed: 'completed',
  failed: 'failed',
};

function fromBullmq(state: string): JobStateName | null {
  if (state === 'wait') return 'waiting';
  for (const s of JOB_STATES) if (TO_BULLMQ[s] === state) return s;
  return null;
}

function summary(value: unknown): string {
  const text = JSON.stringify(value ?? null) ?? 'null';
  return text.length <= DATA_SUMMARY_CHARS ? text : text.slice(0, DATA_SUMMARY_CHARS - 1) + '…';
}

/** The registry's queues (JobQueues of the event pipeline, which owns and closes them). */
export interface BullmqQueues {
  names(): string[];
  queue(name: string): Queue;
}

export function createBullmqJobsSource(queues: BullmqQueues): JobsSource {
  function queueOf(name: string): Queue {
    if (!queues.names().includes(name))
      throw errors.invalidArgument(`There is no queue named ${name}`, 'queue', name);
    return queues.queue(name);
  }

  async function view(queue: string, job: Job): Promise<JobView> {
    const state = await job.getState();
    const progress = job.progress;
    return {
      id: job.id ?? '',
      queue,
      name: job.name,
      state: fromBullmq(state),
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      failedReason: job.failedReason ? job.failedReason : null,
      progress: typeof progress === 'number' ? progress : null,
      progressDetail: typeof progress === 'number' || progress === undefined ? null : summary(progress),
      createdAt: new Date(job.timestamp),
      processedAt: job.processedOn === undefined ? null : new Date(job.processedOn),
      finishedAt: job.finishedOn === undefined ? null : new Date(job.finishedOn),
      data: summary(job.data),
    };
  }

  return {
    queueNames: () => queues.names(),
    async counts(name) {
      const raw = await queueOf(name).getJobCounts(...JOB_STATES.map((s) => TO_BULLMQ[s]));
      const out = {} as Record<JobStateName, number>;
      for (const s of JOB_STATES) out[s] = raw[TO_BULLMQ[s]] ?? 0;
      return out;
    },
    async list(name, state, first) {
      const q = queueOf(name);
      const types = state === undefined ? JOB_STATES.map((s) => TO_BULLMQ[s]) : [TO_BULLMQ[state]];
      const jobs = (await q.getJobs(types, 0, first - 1, false)) as Job[];
      // getJobs pages each state on its own; merged, the newest `first` are what was asked for.
      jobs.sort((a, b) => b.timestamp - a.timestamp);
      return Promise.all(
        jobs
          .filter((j) => j !== undefined && j !== null)
          .slice(0, first)
          .map((j) => view(name, j)),
      );
    },
    async retry(name, id) {
      const q = queueOf(name);
      const job = (await q.getJob(id)) as Job | undefined;
      if (!job) throw errors.invalidArgument(`There is no job ${id} in queue ${name}`, 'id', id);
      if ((await job.getState()) !== 'failed')
        throw errors.invalidRequest('Only a failed job can be retried.');
      await job.retry('failed');
      const again = (await q.getJob(id)) as Job | undefined;
      return view(name, again ?? job);
    },
    // The queues belong to the event pipeline.
    async close() {},
  };
}
