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

export const resolvers = {
  DateTime,
  Long,
  Query: { ...bucketQueries, ...objectQueries, ...jobQueries },
  Mutation: {
    ...bucketMutations,
    ...objectMutations,
    ...notificationMutations,
    ...jobMutations,
    ...uploadUrlMutations,
  },
  Subscription: subscriptionResolvers,
  Bucket: bucketFields,
  BucketConfiguration: bucketConfigurationFields,
  Object: objectFields,
};
