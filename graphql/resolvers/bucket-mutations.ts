/**
 * Bucket mutations, checked like their S3 operations (CreateBucket,
 * DeleteBucket, PutBucketTagging, PutBucketVersioning) and made through the
 * same store calls.
 */
import { errors } from '../../shared/errors.js';
import { requireBucketAccess } from '../../services/s3/access.js';
import { BUCKET_TAG_LIMIT, validateTags } from '../../services/s3/tagging.js';
import type { Tag } from '../../services/store/types.js';
import type { GraphqlContext } from '../context.js';
import { tagViews } from './views.js';

export const bucketMutations = {
  createBucket: (_: unknown, args: { name: string }, ctx: GraphqlContext) => {
    const existing = ctx.store.getBucket(args.name);
    if (existing) {
      throw existing.ownerId === ctx.user.id
        ? errors.bucketAlreadyOwnedByYou(args.name)
        : errors.bucketAlreadyExists(args.name);
    }
    // The store checks the name rules (InvalidBucketName) and settles a race for the same name.
    return ctx.store.createBucket(args.name, ctx.user, ctx.config.region);
  },
  deleteBucket: (_: unknown, args: { name: string }, ctx: GraphqlContext) => {
    const bucket = requireBucketAccess(ctx.store, args.name, ctx.user);
    ctx.store.deleteBucket(bucket.name);
    return true;
  },
  setBucketTags: (_: unknown, args: { bucket: string; tags: readonly Tag[] }, ctx: GraphqlContext) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    const tags = validateTags(args.tags, { maxTags: BUCKET_TAG_LIMIT });
    ctx.store.putBucketTagging(bucket.name, tags.length === 0 ? undefined : tags);
    return tagViews(ctx.store.getBucketTagging(bucket.name));
  },
  setBucketVersioning: (
    _: unknown,
    args: { bucket: string; status: 'Enabled' | 'Suspended' },
    ctx: GraphqlContext,
  ) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    ctx.store.setBucketVersioning(bucket.name, args.status);
    return requireBucketAccess(ctx.store, bucket.name, ctx.user);
  },
};
