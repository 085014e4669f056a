/**
 * Every job type of Strata, listed once. The relay offers each object event
 * to every type with a `fromEvent` (each batch of them to a type with a
 * `fromBatch`); `strata serve` and `strata worker` run a
 * Worker per type (or per queue chosen with --queues).
 *
 * To add a job type: write workers/<name>.ts exporting a StrataJobType
 * (job-context.ts; contract in shared/bus/job-type.ts: queue, payloadVersion,
 * process, and fromEvent or fromBatch if events trigger it), then add it to JOB_TYPES
 * below — one line, nothing else to wire.
 */
import { UnknownQueueError } from '../shared/bus/job-type.js';
import { eventCountsJob } from './event-counts.js';
import type { StrataJobType } from './job-context.js';
import { webhookJob } from './webhook.js';

export const JOB_TYPES: readonly StrataJobType[] = [
  eventCountsJob, // analytics: per-bucket event counters
  webhookJob, // webhook: bucket-notification deliveries
];

/** Every queue name, in registry order. */
export const QUEUES: readonly string[] = JOB_TYPES.map((t) => t.queue);

/** The job types of the named queues (all when `queues` is undefined); UnknownQueueError for a name not listed. */
export function jobTypesFor(queues?: readonly string[]): StrataJobType[] {
  if (queues === undefined) return [...JOB_TYPES];
  return queues.map((q) => {
    const t = JOB_TYPES.find((j) => j.queue === q);
    if (!t) throw new UnknownQueueError(q, QUEUES);
    return t;
  });
}
