/**
 * Multipart uploads: create, upload a part (or copy a range into one), abort, list parts.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { errors } from '../../shared/errors.js';
import { openBody } from './body-reader.js';
import { writeBody, type WrittenBody } from './body-writer.js';
import type { StoredPart, StoredUpload } from './metadata/metadata-store.js';
import { checkKey } from './object-ops.js';
import { parseCopySourceRange } from './copy-source-range.js';
import type { StoreContext } from './store-context.js';
import type {
  ListPartsResult,
  MultipartUpload,
  ObjectVersion,
  PutObjectOptions,
  UploadedPart,
  User,
} from './types.js';
import { findVersion, requireBucket } from './version-lookup.js';

export const MAX_PART_NUMBER = 10_000;

export function createMultipartUpload(
  ctx: StoreContext,
  bucket: string,
  key: string,
  owner: User,
  opts: Omit<PutObjectOptions, 'contentLength' | 'contentMd5' | 'checksumValue' | 'trailingChecksum'>,
): MultipartUpload {
  requireBucket(ctx.meta, bucket);
  checkKey(key);
  const upload: Omit<StoredUpload, 'seq'> = {
    uploadId: randomBytes(24).toString('base64url'),
    bucket,
    key,
    initiated: new Date(),
    ownerId: owner.id,
    ownerName: owner.displayName,
    storageClass: opts.storageClass ?? 'STANDARD',
    checksumAlgorithm: opts.checksumAlgorithm,
    headers: opts.headers ?? {},
    userMetadata: opts.userMetadata ?? {},
    tags: opts.tags ?? [],
  };
  ctx.commit(() => ctx.meta.uploads.insert(upload));
  return stripUpload(upload);
}

function stripUpload(u: Omit<StoredUpload, 'seq'> & { seq?: number }): MultipartUpload {
  const { seq: _seq, ...rest } = u;
  if (rest.checksumAlgorithm === undefined)
    delete (rest as { checksumAlgorithm?: unknown }).checksumAlgorithm;
  return rest;
}

export function requireUpload(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
): StoredUpload {
  requireBucket(ctx.meta, bucket);
  const u = ctx.meta.uploads.get(uploadId);
  if (!u || u.bucket !== bucket || u.key !== key) throw errors.noSuchUpload(uploadId);
  return u;
}

export function getMultipartUpload(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
): MultipartUpload {
  return stripUpload(requireUpload(ctx, bucket, key, uploadId));
}

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw errors.invalidArgument(
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      'partNumber',
      String(partNumber),
    );
  }
}

/** Commits a written part: replaces an earlier part with that number and frees its blob. */
async function commitPart(
  ctx: StoreContext,
  upload: StoredUpload,
  partNumber: number,
  written: WrittenBody,
): Promise<UploadedPart> {
  const part: StoredPart = {
    partNumber,
    blobId: written.blobId,
    size: written.size,
    etag: `"${written.md5}"`,
    lastModified: new Date(),
    ...(written.checksum === undefined ? {} : { checksum: written.checksum }),
  };
  const blobIds = written.blobId ? [written.blobId] : [];
  try {
    await ctx.commitSoon((scope) => {
      requireUpload(ctx, upload.bucket, upload.key, upload.uploadId); // not aborted or completed meanwhile
      const old = ctx.meta.uploads.putPart(upload.uploadId, part);
      scope.retain(blobIds);
      if (old?.blobId) scope.release([old.blobId]);
    }, blobIds);
  } catch (err) {
    await written.discard();
    throw err;
  }
  if (written.blobId) ctx.persistSoon(written.blobId);
  const { blobId: _b, ...uploaded } = part;
  return uploaded;
}

export async function uploadPart(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Readable,
  opts: PutObjectOptions,
): Promise<UploadedPart> {
  checkPartNumber(partNumber);
  const upload = requireUpload(ctx, bucket, key, uploadId);
  const alg = upload.checksumAlgorithm;
  if (opts.checksumAlgorithm !== undefined && alg !== undefined && opts.checksumAlgorithm !== alg) {
    throw errors.invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${alg.toLowerCase()}, actual checksum Type: ${opts.checksumAlgorithm.toLowerCase()}`,
    );
  }
  const written = await writeBody(
    ctx.blobs,
    body,
    { ...opts, checksumAlgorithm: opts.checksumAlgorithm ?? alg },
    ctx.hashPool,
  );
  return commitPart(ctx, upload, partNumber, written);
}

export async function uploadPartCopy(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  source: { bucket: string; key: string; versionId?: string; range?: string },
  opts: { sourceCondition?: (source: ObjectVersion) => void; signal?: AbortSignal },
): Promise<{ part: UploadedPart; sourceVersion: ObjectVersion }> {
  checkPartNumber(partNumber);
  const upload = requireUpload(ctx, bucket, key, uploadId);
  const src = findVersion(ctx.meta, source.bucket, source.key, source.versionId);
  opts.sourceCondition?.(src);
  const range = source.range === undefined ? undefined : parseCopySourceRange(source.range, src.size);
  const reader = openBody(ctx.blobs, ctx.reclaimer, src, range, opts.signal);
  const written = await writeBody(
    ctx.blobs,
    reader,
    {
      checksumAlgorithm: upload.checksumAlgorithm,
      signal: opts.signal,
      contentLength: range === undefined ? src.size : range.end - range.start + 1,
    },
    ctx.hashPool,
  );
  const part = await commitPart(ctx, upload, partNumber, written);
  return { part, sourceVersion: src };
}

export function abortMultipartUpload(ctx: StoreContext, bucket: string, key: string, uploadId: string): void {
  ctx.commit((scope) => {
    requireUpload(ctx, bucket, key, uploadId);
    const blobs = ctx.meta.uploads.parts(uploadId).flatMap((p) => (p.blobId ? [p.blobId] : []));
    ctx.meta.uploads.removeParts(uploadId);
    ctx.meta.uploads.remove(uploadId);
    scope.release(blobs);
  });
}

export function listParts(
  ctx: StoreContext,
  bucket: string,
  key: string,
  uploadId: string,
  opts: { partNumberMarker?: number; maxParts: number },
): ListPartsResult {
  requireUpload(ctx, bucket, key, uploadId);
  const max = Math.max(0, Math.min(opts.maxParts, MAX_PART_NUMBER));
  if (max === 0) return { parts: [], isTruncated: false };
  const rows = ctx.meta.uploads.listParts(uploadId, opts.partNumberMarker ?? 0, max + 1);
  const isTruncated = rows.length > max;
  const parts: UploadedPart[] = rows.slice(0, max).map(({ blobId: _b, ...p }) => p);
  const last = parts[parts.length - 1];
  return isTruncated && last
    ? { parts, isTruncated, nextPartNumberMarker: last.partNumber }
    : { parts, isTruncated };
}
