/**
 * Names on the Redis bus that several components must agree on. Every event
 * the relay moves out of the outbox is published (as the JSON of a
 * StrataEvent, shared/events.ts) on `eventsChannel(prefix)`; GraphQL
 * subscriptions on every gateway listen there. Subscribers drop repeats by
 * the event id: after a relay crash an event may be published twice.
 */

/** Redis pub/sub channel carrying every object event. */
export function eventsChannel(redisPrefix: string): string {
  return `${redisPrefix}:events`;
}

/** Redis hash of per-bucket event counts (field = event name, e.g. "ObjectCreated:Put"). */
export function eventCountsKey(redisPrefix: string, bucket: string): string {
  return `${redisPrefix}:event-counts:${bucket}`;
}
