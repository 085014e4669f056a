/**
 * CopyObject: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 * A single-part source whose checksum needs no recomputing is copied by
 * sharing its blob (reference counted) — no bytes move. Multipart sources, or
 * a copy asking for another checksum algorithm, are streamed into a new blob,
 * which gets the MD5 of its bytes as ETag.
 */
import { errors } from '../../shared/errors.js';
import { encodeBodyRef } from './body-ref.js';
import { openBody } from './body-reader.js';
import { appendEvent } from './events/outbox-append.js';
import { writeBody } from './body-writer.js';
import type { StoredVersion } from './metadata/metadata-store.js';
import { checkKey } from './object-ops.js';
import type { StoreContext } from './store-context.js';
import type { CopyObjectOptions, ObjectVersion } from './types.js';
import { addVersion, type VersionInput } from './version-commit.js';
import { findVersion, requireBucket } from './version-lookup.js';

const SELF_COPY =
  "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.";

function resolveSource(
  ctx: StoreContext,
  bucket: string,
  key: string,
  opts: CopyObjectOptions,
): StoredVersion {
  const source = findVersion(ctx.meta, bucket, key, opts.sourceVersionId);
  opts.sourceCondition?.(source);
  return source;
}

function checkNotSelfCopy(
  src: StoredVersion,
  dstBucket: string,
  dstKey: string,
  opts: CopyObjectOptions,
): void {
  if (src.bucket !== dstBucket || src.key !== dstKey || !src.isLatest) return;
  if (opts.metadataDirective !== 'COPY') return;
  if (opts.storageClass !== undefined && opts.storageClass !== src.storageClass) return;
  if (opts.checksumAlgorithm !== undefined && opts.checksumAlgorithm !== src.checksumAlgorithm) return;
  throw errors.invalidRequest(SELF_COPY);
}

function describeCopy(
  src: StoredVersion,
  dstBucket: string,
  dstKey: string,
  opts: CopyObjectOptions,
): Omit<VersionInput, 'size' | 'etag' | 'bodyRef' | 'checksum' | 'checksumAlgorithm'> {
  const replaceMeta = opts.metadataDirective === 'REPLACE';
  return {
    bucket: dstBucket,
    key: dstKey,
    isDeleteMarker: false,
    storageClass: opts.storageClass ?? src.storageClass,
    headers: replaceMeta ? (opts.headers ?? {}) : src.headers,
    userMetadata: replaceMeta ? (opts.userMetadata ?? {}) : src.userMetadata,
    tags: opts.taggingDirective === 'REPLACE' ? (opts.tags ?? []) : src.tags,
  };
}

function isMultipart(v: ObjectVersion): boolean {
  return v.parts !== undefined || v.etag.includes('-');
}

export async function copyObject(
  ctx: StoreContext,
  srcBucket: string,
  srcKey: string,
  dstBucket: string,
  dstKey: string,
  opts: CopyObjectOptions,
): Promise<{ version: ObjectVersion; sourceVersion: ObjectVersion }> {
  requireBucket(ctx.meta, dstBucket);
  checkKey(dstKey);
  const source = resolveSource(ctx, srcBucket, srcKey, opts);
  checkNotSelfCopy(source, dstBucket, dstKey, opts);
  const wantAlg = opts.checksumAlgorithm ?? source.checksumAlgorithm;
  const shareable = !isMultipart(source) && wantAlg === source.checksumAlgorithm;

  if (shareable) {
    // Resolve and commit in one synchronous step, so the shared blob cannot be freed in between.
    const version = ctx.commit((scope) => {
      const src = ctx.meta.versions.get(source.bucket, source.key, source.versionId);
      if (!src) throw errors.noSuchKey(srcKey);
      const v = addVersion(ctx, scope, {
        ...describeCopy(src, dstBucket, dstKey, opts),
        size: src.size,
        etag: src.etag,
        checksumAlgorithm: src.checksumAlgorithm,
        checksum: src.checksum,
        bodyRef: src.bodyRef,
      });
      appendEvent(ctx, 's3:ObjectCreated:Copy', dstBucket, v);
      return v;
    });
    return { version, sourceVersion: source };
  }

  const reader = openBody(ctx.blobs, ctx.reclaimer, source, undefined, opts.signal);
  const written = await writeBody(
    ctx.blobs,
    reader,
    { checksumAlgorithm: wantAlg, signal: opts.signal, contentLength: source.size },
    ctx.hashPool,
  );
  const blobIds = written.blobId ? [written.blobId] : [];
  let version: ObjectVersion;
  try {
    version = await ctx.commitSoon((scope) => {
      const v = addVersion(ctx, scope, {
        ...describeCopy(source, dstBucket, dstKey, opts),
        size: written.size,
        etag: `"${written.md5}"`,
        checksumAlgorithm: written.checksum === undefined ? undefined : wantAlg,
        checksum: written.checksum,
        bodyRef: encodeBodyRef(blobIds.map((id) => ({ id, size: written.size }))),
      });
      appendEvent(ctx, 's3:ObjectCreated:Copy', dstBucket, v);
      return v;
    }, blobIds);
  } catch (err) {
    await written.discard();
    throw err;
  }
  if (written.blobId) ctx.persistSoon(written.blobId);
  return { version, sourceVersion: source };
}
