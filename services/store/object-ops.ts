/**
 * Single-object operations: PutObject, DeleteObject, PutObjectTagging.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
 */
import type { Readable } from 'node:stream';
import { errors } from '../../shared/errors.js';
import type { S3EventName } from '../../shared/events.js';
import { currentScope } from '../../shared/request-context.js';
import { encodeBodyRef } from './body-ref.js';
import { appendEvent } from './events/outbox-append.js';
import { writeBody } from './body-writer.js';
import type { StoreContext } from './store-context.js';
import type { DeleteResult, ObjectVersion, PutObjectOptions, Tag } from './types.js';
import { addVersion, checkWriteConditions, removeVersion } from './version-commit.js';
import { checkVersionId, findVersion, requireBucket } from './version-lookup.js';

/** S3 keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

export function checkKey(key: string): void {
  if (key.length === 0) throw errors.invalidArgument('Object key must not be empty', 'key', key);
  if (key.length > MAX_KEY_BYTES / 3 && Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw errors.make('KeyTooLongError');
}

/** ObjectCreated:Post for browser-form uploads (named by the option or by the request's operation). */
function createdEventName(opts: PutObjectOptions): S3EventName {
  if (opts.eventName) return opts.eventName;
  return currentScope()?.operation === 'PostObject' ? 's3:ObjectCreated:Post' : 's3:ObjectCreated:Put';
}

export async function putObject(
  ctx: StoreContext,
  bucket: string,
  key: string,
  body: Readable,
  opts: PutObjectOptions,
): Promise<ObjectVersion> {
  requireBucket(ctx.meta, bucket);
  checkKey(key);
  // Early check saves streaming a body that will be refused; the commit checks again.
  if (opts.ifMatch !== undefined || opts.ifNoneMatch !== undefined) {
    checkWriteConditions(ctx.meta.versions.latest(bucket, key), key, opts);
  }
  const written = await writeBody(ctx.blobs, body, opts, ctx.hashPool);
  const blobIds = written.blobId ? [written.blobId] : [];
  let version: ObjectVersion;
  try {
    version = await ctx.commitSoon((scope) => {
      const v = addVersion(
        ctx,
        scope,
        {
          bucket,
          key,
          isDeleteMarker: false,
          size: written.size,
          etag: `"${written.md5}"`,
          storageClass: opts.storageClass ?? 'STANDARD',
          headers: opts.headers ?? {},
          userMetadata: opts.userMetadata ?? {},
          tags: opts.tags ?? [],
          checksumAlgorithm: written.checksum === undefined ? undefined : opts.checksumAlgorithm,
          checksum: written.checksum,
          bodyRef: encodeBodyRef(blobIds.map((id) => ({ id, size: written.size }))),
        },
        opts,
      );
      appendEvent(ctx, createdEventName(opts), bucket, v);
      return v;
    }, blobIds);
  } catch (err) {
    await written.discard();
    throw err;
  }
  if (written.blobId) ctx.persistSoon(written.blobId);
  return version;
}

export function deleteObject(
  ctx: StoreContext,
  bucket: string,
  key: string,
  versionId?: string,
): DeleteResult {
  return ctx.commit((scope) => {
    const b = requireBucket(ctx.meta, bucket);
    if (versionId !== undefined) checkVersionId(versionId);
    if (versionId !== undefined) {
      // Permanently removes that version; deleting an unknown version succeeds (S3 returns 204).
      const v = ctx.meta.versions.get(bucket, key, versionId);
      if (v) {
        removeVersion(ctx, scope, v);
        appendEvent(ctx, 's3:ObjectRemoved:Delete', bucket, { key, versionId });
      }
      return { versionId, deleteMarker: v?.isDeleteMarker ?? false };
    }
    if (b.versioning === undefined) {
      const v = ctx.meta.versions.get(bucket, key, 'null');
      if (v) {
        removeVersion(ctx, scope, v);
        appendEvent(ctx, 's3:ObjectRemoved:Delete', bucket, { key, versionId: 'null' });
      }
      return { deleteMarker: false };
    }
    const marker = addVersion(ctx, scope, {
      bucket,
      key,
      isDeleteMarker: true,
      size: 0,
      etag: '',
      storageClass: 'STANDARD',
      headers: {},
      userMetadata: {},
      tags: [],
      bodyRef: '[]',
    });
    appendEvent(ctx, 's3:ObjectRemoved:DeleteMarkerCreated', bucket, { key, versionId: marker.versionId });
    return { versionId: marker.versionId, deleteMarker: true };
  });
}

export function putObjectTagging(
  ctx: StoreContext,
  bucket: string,
  key: string,
  tags: readonly Tag[],
  versionId?: string,
): ObjectVersion {
  return ctx.commit(() => {
    const v = findVersion(ctx.meta, bucket, key, versionId);
    ctx.meta.versions.setTags(v.seq, tags);
    // DeleteObjectTagging stores an empty tag set: S3 reports it as s3:ObjectTagging:Delete.
    appendEvent(ctx, tags.length > 0 ? 's3:ObjectTagging:Put' : 's3:ObjectTagging:Delete', bucket, v);
    return { ...v, tags: [...tags] };
  });
}
