/**
 * What the GraphQL API reads and does on the job bus: counts and jobs per
 * queue, and retrying a failed job. BullMQ is behind it (bullmq-jobs-source.ts).
 */

/**
 * The schema's JobState values (BullMQ's "waiting-children" is waitingChildren).
 * A paused queue keeps its jobs in waiting (BullMQ has no paused list since v5).
 */
export type JobStateName =
  'waiting' | 'active' | 'delayed' | 'prioritized' | 'waitingChildren' | 'completed' | 'failed';

export const JOB_STATES: readonly JobStateName[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waitingChildren',
  'completed',
  'failed',
];

export type JobCountsView = Readonly<Record<JobStateName, number>>;

export interface JobView {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly state: JobStateName | null;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly failedReason: string | null;
  readonly progress: number | null;
  readonly progressDetail: string | null;
  readonly createdAt: Date;
  readonly processedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly data: string;
}

export interface JobsSource {
  /** The registry's queue names. */
  queueNames(): readonly string[];
  counts(queue: string): Promise<JobCountsView>;
  /** Newest first; every state when `state` is undefined. */
  list(queue: string, state: JobStateName | undefined, first: number): Promise<JobView[]>;
  /** Moves a failed job back to waiting; InvalidArgument / InvalidRequest when it is missing or not failed. */
  retry(queue: string, id: string): Promise<JobView>;
  close(): Promise<void>;
}
