/**
 * Job type "analytics": counts object events per bucket and event name
 * (services/events/event-counters.ts), for the dashboard.
 *
 * One job per relay batch, not per event: a job per event cost a BullMQ add,
 * fetch, lock and completion plus a script run for every PUT and GET, in the
 * same event loop as S3 (issue 3, bench:events). The job carries the batch's
 * event ids grouped by bucket and event name; its id is made of the first and
 * last id, so re-adding the same batch is a no-op, and counting is idempotent
 * per event id, so a batch cut differently on replay counts nothing twice.
 *
 * The relay gathers events for it (gatherMs): one job per quarter second at
 * most, however many relay passes a burst of writes makes. Each job is a
 * BullMQ add, fetch and completion plus Redis and job-thread work; per pass,
 * at one PUT client, that cost 20% of the PUT rate (bench:s3).
 *
 * Payload v1 (one event per job, written by earlier versions) is still
 * processed, so jobs queued before an upgrade are counted.
 */
import type { EventJobPayload, JobPayload } from '../shared/bus/job-type.js';
import { countEvents, groupEventCounts, type EventCountGroup } from '../services/events/event-counters.js';
import type { StrataJobType } from './job-context.js';

export const ANALYTICS_QUEUE = 'analytics';
/** How long the relay gathers events before it makes an analytics job of them. */
export const ANALYTICS_GATHER_MS = 250;

export interface EventCountsPayload extends JobPayload {
  readonly v: 2;
  /** The batch's events by bucket and event name; ids ascending within a group. */
  readonly counts: readonly EventCountGroup[];
}

/** The job id of a batch whose event ids run from `first` to `last`. */
export function eventCountsJobId(first: number, last: number): string {
  return `${ANALYTICS_QUEUE}-${first}-${last}`;
}

export const eventCountsJob: StrataJobType<EventCountsPayload | EventJobPayload> = {
  queue: ANALYTICS_QUEUE,
  payloadVersion: 2,
  concurrency: 4,
  gatherMs: ANALYTICS_GATHER_MS,
  fromBatch(events) {
    if (events.length === 0) return [];
    const counts = groupEventCounts(
      events.map((e) => ({ id: e.id, bucket: e.record.s3.bucket.name, eventName: e.record.eventName })),
    );
    const id = eventCountsJobId(events[0]!.id, events[events.length - 1]!.id);
    return [{ id, data: { v: 2, counts } }];
  },
  async process(job, _signal, { redis, config }) {
    const data = job.data;
    const groups: readonly EventCountGroup[] =
      data.v === 2
        ? data.counts
        : [
            {
              bucket: data.record.s3.bucket.name,
              eventName: data.record.eventName,
              eventIds: [data.eventId],
            },
          ];
    // No updateProgress(100): a script run and a stream entry per job that nothing reads
    // (a completed job's state says it is done), as the webhook worker does without.
    const counted = await countEvents(redis, config.redisPrefix, groups);
    return { counted, events: groups.reduce((n, g) => n + g.eventIds.length, 0) };
  },
};
