/**
 * Bucket queries: the caller's buckets, one bucket (owner-checked like the S3
 * layer: NoSuchBucket, then AccessDenied), its listings and configuration.
 */
import { requireBucketAccess } from '../../services/s3/access.js';
import type { Bucket } from '../../services/store/types.js';
import type { GraphqlContext } from '../context.js';
import {
  afterOfObjectsCursor,
  markersOfVersionsCursor,
  objectsCursor,
  pageSize,
  versionsCursor,
} from './cursor.js';
import { notificationView } from './notification.js';
import { ownerOf, tagViews } from './views.js';

interface ListArgs {
  readonly prefix?: string | null;
  readonly delimiter?: string | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

function listObjects(b: Bucket, args: ListArgs, ctx: GraphqlContext) {
  const page = ctx.store.listObjects(b.name, {
    prefix: args.prefix ?? undefined,
    delimiter: args.delimiter || undefined,
    after: afterOfObjectsCursor(args.after),
    maxKeys: pageSize(args.first),
  });
  return {
    items: page.objects,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    nextCursor: page.isTruncated && page.nextAfter !== undefined ? objectsCursor(page.nextAfter) : null,
  };
}

function listVersions(b: Bucket, args: ListArgs, ctx: GraphqlContext) {
  const markers = markersOfVersionsCursor(args.after);
  const page = ctx.store.listObjectVersions(b.name, {
    prefix: args.prefix ?? undefined,
    delimiter: args.delimiter || undefined,
    keyMarker: markers.keyMarker,
    versionIdMarker: markers.versionIdMarker,
    maxKeys: pageSize(args.first),
  });
  return {
    items: page.versions,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    nextCursor:
      page.isTruncated && page.nextKeyMarker !== undefined
        ? versionsCursor(page.nextKeyMarker, page.nextVersionIdMarker)
        : null,
  };
}

export const bucketQueries = {
  me: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.user,
  buckets: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.store.listBuckets(ctx.user),
  bucket: (_: unknown, args: { name: string }, ctx: GraphqlContext) =>
    requireBucketAccess(ctx.store, args.name, ctx.user),
};

export const bucketFields = {
  owner: (b: Bucket) => ownerOf(b),
  versioning: (b: Bucket) => b.versioning ?? null,
  objects: (b: Bucket, args: ListArgs, ctx: GraphqlContext) => listObjects(b, args, ctx),
  versions: (b: Bucket, args: ListArgs, ctx: GraphqlContext) => listVersions(b, args, ctx),
  configuration: (b: Bucket) => b,
};

export const bucketConfigurationFields = {
  versioning: (b: Bucket) => b.versioning ?? null,
  tags: (b: Bucket, _: unknown, ctx: GraphqlContext) => tagViews(ctx.store.getBucketTagging(b.name)),
  cors: (b: Bucket, _: unknown, ctx: GraphqlContext) =>
    (ctx.store.getBucketCors(b.name) ?? []).map((r) => ({
      ...r,
      id: r.id ?? null,
      maxAgeSeconds: r.maxAgeSeconds ?? null,
    })),
  notification: (b: Bucket, _: unknown, ctx: GraphqlContext) =>
    notificationView(ctx.store.getBucketNotification(b.name)),
};
