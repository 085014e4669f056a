/**
 * Default options of every job (a job type may override them, job-type.ts):
 * - retries with exponential backoff (1 s, 2 s, 4 s …);
 * - completed jobs kept for a day (at most 10 000 per queue): their ids make a
 *   re-enqueue of the same job (a relay replay) a no-op for that long;
 * - failed jobs kept until someone retries or removes them (GraphQL retryJob).
 * https://docs.bullmq.io/guide/retrying-failing-jobs
 * https://docs.bullmq.io/guide/queues/auto-removal-of-jobs
 */
import type { JobsOptions } from 'bullmq';

export const DEFAULT_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
});
