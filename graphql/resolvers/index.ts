/** Every resolver of schema.graphql, by type. */
import { DateTime, Long } from '../scalars.js';
import { bucketMutations } from './bucket-mutations.js';
import { bucketConfigurationFields, bucketFields, bucketQueries } from './buckets.js';
import { jobMutations, jobQueries } from './jobs.js';
import { notificationMutations } from './notification.js';
import { objectFields } from './object-fields.js';
import { objectMutations } from './object-mutations.js';
import { objectQueries } from './objects.js';
import { subscriptionResolvers } from './subscriptions.js';
import { uploadUrlMutations } from './upload-url.js';
import type { GraphqlContext } from '../context.js';

type Resolver = (parent: unknown, args: never, ctx: GraphqlContext) => unknown;

/**
 * Each mutation answers once its change is durable (group commit, as the S3
 * server does: services/store/sqlite/wal-sync.ts).
 */
function durably<M extends Record<string, Resolver>>(mutations: M): M {
  const out: Record<string, Resolver> = {};
  for (const [name, resolve] of Object.entries(mutations)) {
    out[name] = async (parent, args, ctx) => {
      const result = await resolve(parent, args, ctx);
      await ctx.store.durable();
      return result;
    };
  }
  return out as M;
}

export const resolvers = {
  DateTime,
  Long,
  Query: { ...bucketQueries, ...objectQueries, ...jobQueries },
  Mutation: durably({
    ...bucketMutations,
    ...objectMutations,
    ...notificationMutations,
    ...jobMutations,
    ...uploadUrlMutations,
  }),
  Subscription: subscriptionResolvers,
  Bucket: bucketFields,
  BucketConfiguration: bucketConfigurationFields,
  Object: objectFields,
};
