/**
 * Job type "analytics": counts every object event per bucket and event name
 * (services/events/event-counters.ts), for the dashboard. One job per event;
 * counting is idempotent, so a retried job counts once.
 */
import { eventJobId, eventJobPayload, type EventJobPayload } from '../shared/bus/job-type.js';
import { countEvent } from '../services/events/event-counters.js';
import type { StrataJobType } from './job-context.js';

export const eventCountsJob: StrataJobType<EventJobPayload> = {
  queue: 'analytics',
  payloadVersion: 1,
  concurrency: 16,
  fromEvent: (event) => [{ id: eventJobId('analytics', event), data: eventJobPayload(event) }],
  async process(job, _signal, { redis, config }) {
    const counted = await countEvent(redis, config.redisPrefix, {
      id: job.data.eventId,
      record: job.data.record,
    });
    await job.updateProgress(100);
    return { counted };
  },
};
