/**
 * Claims on webhook deliveries, so that each is POSTed by one batch job only.
 *
 * A relay that replays events (after a crash, or a pass whose Redis reply
 * timed out) may cut its batches differently, and a batch job's id names its
 * events: the replayed batch is then a job of its own, and BullMQ's job-id
 * check cannot see that its deliveries were already made. Before POSTing, a
 * batch job claims each delivery by its id: a key set only if absent, whose
 * value is the claiming job's id, and which becomes "done" once the receiver
 * has accepted the delivery. A job skips deliveries another job claimed, and
 * when it runs again (its worker died, or it is retried) it POSTs again what
 * it claimed but did not finish, and nothing it finished. Three plain
 * commands per delivery in two round trips per job, against a job's add,
 * fetch, lock and finish scripts per delivery.
 *
 * How long claims last: a replayed batch is added moments after the one it
 * overlaps (the relay replays at most what it had not marked sent, marked
 * every 200 ms) to the same first-in-first-out queue, so the two run close
 * together even behind a backlog. Ten minutes covers that with room, and
 * bounds what claims hold in Redis (about 100 bytes each: some 40 MB at a
 * sustained 700 deliveries/s). Jobs kept as completed gave a shorter window
 * before: 10 000 jobs, under a minute at 200 PUT/s.
 */
import type { Redis } from 'ioredis';

const CLAIM_TTL_SECONDS = 600;
const DONE = 'done';

function claimKey(redisPrefix: string, deliveryId: string): string {
  return `${redisPrefix}:webhook-claims:${deliveryId}`;
}

/**
 * Claims the deliveries for `owner` and returns the ids it is to POST: those
 * nobody had claimed, and those it claimed itself on an earlier run and did
 * not finish. SET … NX then GET, both in one round trip: Redis 7's SET … NX GET
 * would do it in one command, but the Redis of a distribution may be older.
 */
export async function claimDeliveries(
  redis: Redis,
  redisPrefix: string,
  owner: string,
  deliveryIds: readonly string[],
): Promise<Set<string>> {
  if (deliveryIds.length === 0) return new Set();
  const pipeline = redis.pipeline();
  for (const id of deliveryIds) {
    const key = claimKey(redisPrefix, id);
    pipeline.set(key, owner, 'EX', CLAIM_TTL_SECONDS, 'NX').get(key);
  }
  const results = (await pipeline.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  const mine = new Set<string>();
  deliveryIds.forEach((id, i) => {
    if (results[2 * i + 1]?.[1] === owner) mine.add(id);
  });
  return mine;
}

/** Marks deliveries finished (accepted, or handed to a job of their own): no run of any job POSTs them again. */
export async function finishDeliveries(
  redis: Redis,
  redisPrefix: string,
  deliveryIds: readonly string[],
): Promise<void> {
  if (deliveryIds.length === 0) return;
  const pipeline = redis.pipeline();
  for (const id of deliveryIds) pipeline.set(claimKey(redisPrefix, id), DONE, 'EX', CLAIM_TTL_SECONDS);
  for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
}
