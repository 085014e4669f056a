/**
 * Per-bucket event counters in Redis: a hash per bucket (channels.ts,
 * eventCountsKey) whose fields are event names ("ObjectCreated:Put") and whose
 * values count the events seen. Counting is idempotent per event id: a marker
 * key set in the same script makes a retried or duplicated job count once.
 * The dashboard reads them with readEventCounts.
 */
import type { Redis } from 'ioredis';
import { eventCountsKey } from '../../shared/bus/channels.js';
import type { StrataEvent } from '../../shared/events.js';

/** How long an event id is remembered as counted (longer than any retry schedule). */
const COUNTED_TTL_SECONDS = 7 * 24 * 3600;

const COUNT_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  return 1
end
return 0`;

/** Counts `event` in its bucket's hash; false when it had been counted already. */
export async function countEvent(redis: Redis, prefix: string, event: StrataEvent): Promise<boolean> {
  const bucket = event.record.s3.bucket.name;
  const counted = `${prefix}:event-counted:${event.id}`;
  const r = await redis.eval(
    COUNT_ONCE,
    2,
    counted,
    eventCountsKey(prefix, bucket),
    event.record.eventName,
    String(COUNTED_TTL_SECONDS),
  );
  return r === 1;
}

/** A bucket's counters: event name → count. */
export async function readEventCounts(
  redis: Redis,
  prefix: string,
  bucket: string,
): Promise<Record<string, number>> {
  const raw = await redis.hgetall(eventCountsKey(prefix, bucket));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}
