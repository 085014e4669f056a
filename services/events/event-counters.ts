/**
 * Per-bucket event counters in Redis: a hash per bucket (channels.ts,
 * eventCountsKey) whose fields are event names ("ObjectCreated:Put") and whose
 * values count the events seen. The dashboard reads them with readEventCounts.
 *
 * Counting is idempotent per event id, so a retried job, or a relay replay
 * whose batch is cut differently from the first time, counts each event once.
 * The memory of what was counted is one bit per event id, in bitmaps of
 * SEGMENT_BITS ids each (8 KiB at most), each kept COUNTED_TTL_SECONDS after
 * its last write. One key per event (what this replaced) grew to millions of
 * keys at sustained rates (issue 3, perf work); a bitmap holds a week of
 * 1000 events/s in about 75 MB.
 */
import type { Redis } from 'ioredis';
import { eventCountsKey } from '../../shared/bus/channels.js';

/** How long an event id is remembered as counted (longer than any retry schedule). */
const COUNTED_TTL_SECONDS = 7 * 24 * 3600;
/** Event ids per bitmap: 2^16 bits = 8 KiB. */
const SEGMENT_BITS = 65_536;

/** The events of one bucket and event name to count. */
export interface EventCountGroup {
  readonly bucket: string;
  /** Without the "s3:" prefix, as records carry it ("ObjectCreated:Put"). */
  readonly eventName: string;
  /** Outbox ids of the events. */
  readonly eventIds: readonly number[];
}

/** Groups events by bucket and event name, in order of first appearance. */
export function groupEventCounts(
  events: readonly { readonly id: number; readonly bucket: string; readonly eventName: string }[],
): EventCountGroup[] {
  const groups = new Map<string, { bucket: string; eventName: string; eventIds: number[] }>();
  for (const e of events) {
    const k = `${e.bucket}\n${e.eventName}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { bucket: e.bucket, eventName: e.eventName, eventIds: [] }));
    g.eventIds.push(e.id);
  }
  return [...groups.values()];
}

// KEYS: the bitmap segments (ARGV[2] of them), then the per-bucket hashes.
// ARGV: ttl, segment count, then per group: hash key index, field, n, and n
// pairs (segment key index, bit offset). SETBIT returns the bit's old value,
// so only ids not seen before are added to the hash.
const COUNT_ONCE = `
local s = tonumber(ARGV[2])
local i = 3
local counted = 0
while i <= #ARGV do
  local h = KEYS[tonumber(ARGV[i])]
  local field = ARGV[i + 1]
  local n = tonumber(ARGV[i + 2])
  i = i + 3
  local fresh = 0
  for _ = 1, n do
    if redis.call('SETBIT', KEYS[tonumber(ARGV[i])], ARGV[i + 1], 1) == 0 then fresh = fresh + 1 end
    i = i + 2
  end
  if fresh > 0 then redis.call('HINCRBY', h, field, fresh) end
  counted = counted + fresh
end
for k = 1, s do redis.call('EXPIRE', KEYS[k], ARGV[1]) end
return counted`;

/** Counts every group's events in one script; returns how many had not been counted before. */
export async function countEvents(
  redis: Redis,
  prefix: string,
  groups: readonly EventCountGroup[],
): Promise<number> {
  const live = groups.filter((g) => g.eventIds.length > 0);
  const segments = new Map<string, number>();
  for (const g of live) {
    for (const id of g.eventIds) {
      const seg = segmentKey(prefix, id);
      if (!segments.has(seg)) segments.set(seg, segments.size + 1);
    }
  }
  if (segments.size === 0) return 0;
  const hashes = new Map<string, number>();
  for (const g of live) {
    const h = eventCountsKey(prefix, g.bucket);
    if (!hashes.has(h)) hashes.set(h, segments.size + hashes.size + 1);
  }
  const args: (string | number)[] = [COUNTED_TTL_SECONDS, segments.size];
  for (const g of live) {
    args.push(hashes.get(eventCountsKey(prefix, g.bucket))!, g.eventName, g.eventIds.length);
    for (const id of g.eventIds) args.push(segments.get(segmentKey(prefix, id))!, id % SEGMENT_BITS);
  }
  const keys = [...segments.keys(), ...hashes.keys()];
  return Number(await redis.eval(COUNT_ONCE, keys.length, ...keys, ...args));
}

function segmentKey(prefix: string, eventId: number): string {
  return `${prefix}:events-counted:${Math.floor(eventId / SEGMENT_BITS)}`;
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
