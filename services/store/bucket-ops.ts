/**
 * Bucket operations: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html,
 * DeleteBucket, PutBucketVersioning, Put/GetBucketTagging, Put/GetBucketCors,
 * Put/GetBucketNotificationConfiguration.
 */
import { errors } from '../../shared/errors.js';
import { isValidBucketName } from './bucket-name.js';
import type { StoreContext } from './store-context.js';
import type { Bucket, CorsRule, NotificationConfiguration, Tag, User } from './types.js';
import { requireBucket } from './version-lookup.js';

export function createBucket(ctx: StoreContext, name: string, owner: User, region: string): Bucket {
  if (!isValidBucketName(name)) throw errors.invalidBucketName(name);
  return ctx.commit(() => {
    const existing = ctx.meta.buckets.get(name);
    if (existing) {
      throw existing.ownerId === owner.id
        ? errors.bucketAlreadyOwnedByYou(name)
        : errors.bucketAlreadyExists(name);
    }
    const bucket: Bucket = {
      name,
      ownerId: owner.id,
      ownerName: owner.displayName,
      region,
      createdAt: new Date(),
      versioning: undefined,
    };
    ctx.meta.buckets.insert(bucket);
    return bucket;
  });
}

/**
 * S3 refuses while any version or delete marker remains (BucketNotEmpty), but
 * deletes a bucket that holds only in-progress multipart uploads, aborting them
 * (observed AWS behaviour; the DeleteBucket page is silent on uploads).
 */
export function deleteBucket(ctx: StoreContext, name: string): void {
  ctx.commit((scope) => {
    requireBucket(ctx.meta, name);
    if (ctx.meta.versions.hasAny(name)) throw errors.bucketNotEmpty(name);
    const uploads = ctx.meta.uploads;
    for (const u of [...uploads.scan(name, { value: '', inclusive: true }, undefined)]) {
      scope.release(uploads.parts(u.uploadId).flatMap((p) => (p.blobId ? [p.blobId] : [])));
      uploads.removeParts(u.uploadId);
      uploads.remove(u.uploadId);
    }
    ctx.meta.buckets.remove(name);
  });
}

export function setBucketVersioning(ctx: StoreContext, name: string, status: 'Enabled' | 'Suspended'): void {
  ctx.commit(() => {
    requireBucket(ctx.meta, name);
    ctx.meta.buckets.setVersioning(name, status);
  });
}

export function getBucketTagging(ctx: StoreContext, name: string): Tag[] | undefined {
  requireBucket(ctx.meta, name);
  return ctx.meta.buckets.getTagging(name);
}

export function putBucketTagging(ctx: StoreContext, name: string, tags: readonly Tag[] | undefined): void {
  ctx.commit(() => {
    requireBucket(ctx.meta, name);
    ctx.meta.buckets.setTagging(name, tags);
  });
}

export function getBucketCors(ctx: StoreContext, name: string): CorsRule[] | undefined {
  requireBucket(ctx.meta, name);
  return ctx.meta.buckets.getCors(name);
}

export function putBucketCors(ctx: StoreContext, name: string, rules: readonly CorsRule[] | undefined): void {
  ctx.commit(() => {
    requireBucket(ctx.meta, name);
    ctx.meta.buckets.setCors(name, rules);
  });
}

export function getBucketNotification(ctx: StoreContext, name: string): NotificationConfiguration {
  requireBucket(ctx.meta, name);
  return { rules: ctx.meta.buckets.getNotification(name) };
}

export function putBucketNotification(
  ctx: StoreContext,
  name: string,
  config: NotificationConfiguration,
): void {
  ctx.commit(() => {
    requireBucket(ctx.meta, name);
    ctx.meta.buckets.setNotification(name, config.rules);
  });
}
