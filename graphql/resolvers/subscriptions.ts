/**
 * Subscription.objectEvents: events of one bucket the caller owns, filtered by
 * key prefix and event-name patterns. Ownership is checked when subscribing
 * (NoSuchBucket / AccessDenied) and again for every event, so a bucket deleted
 * and re-created by someone else stops feeding the old subscriber.
 */
import { requireBucketAccess } from '../../services/s3/access.js';
import type { GraphqlContext } from '../context.js';
import { eventNameMatcher } from '../events/event-filter.js';
import { EventQueue } from '../events/event-queue.js';
import { objectEventView, type ObjectEventView } from '../events/object-event.js';

/** Events kept for a subscriber that reads slower than they come; older ones are dropped. */
const SUBSCRIBER_BUFFER = 1000;

interface ObjectEventsArgs {
  readonly bucket: string;
  readonly prefix?: string | null;
  readonly events?: readonly string[] | null;
}

async function objectEvents(
  args: ObjectEventsArgs,
  ctx: GraphqlContext,
): Promise<AsyncIterableIterator<ObjectEventView>> {
  const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
  const matches = eventNameMatcher(args.events);
  const prefix = args.prefix ?? '';
  await ctx.events.whenSubscribed();
  let stop: () => void = () => undefined;
  const queue = new EventQueue<ObjectEventView>(SUBSCRIBER_BUFFER, () => stop());
  stop = ctx.events.listen(
    (e) => {
      if (e.record.s3.bucket.name !== bucket.name || !matches(e.record.eventName)) return;
      const view = objectEventView(e);
      if (!view.key.startsWith(prefix)) return;
      if (ctx.store.getBucket(bucket.name)?.ownerId !== ctx.user.id) return;
      queue.push(view);
    },
    () => queue.end(),
  );
  return queue;
}

export const subscriptionResolvers = {
  objectEvents: {
    subscribe: (_: unknown, args: ObjectEventsArgs, ctx: GraphqlContext) => objectEvents(args, ctx),
    resolve: (event: ObjectEventView) => event,
  },
};
