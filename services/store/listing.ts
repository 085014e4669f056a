/**
 * Listings, in S3's key order (UTF-8 bytes; SQLite BINARY collation):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
 * A prefix becomes an index range scan [prefix, prefixSuccessor(prefix)).
 */
import { errors } from '../../shared/errors.js';
import { listPage, resumeBound } from './delimited-pager.js';
import { prefixSuccessor } from './key-order.js';
import type { StoredUpload, StoredVersion } from './metadata/metadata-store.js';
import type { StoreContext } from './store-context.js';
import type {
  ListObjectsOptions,
  ListObjectsResult,
  ListUploadsOptions,
  ListUploadsResult,
  ListVersionsOptions,
  ListVersionsResult,
  MultipartUpload,
} from './types.js';
import { checkVersionId, requireBucket } from './version-lookup.js';

export function listObjects(ctx: StoreContext, bucket: string, opts: ListObjectsOptions): ListObjectsResult {
  requireBucket(ctx.meta, bucket);
  const prefix = opts.prefix ?? '';
  const before = prefixSuccessor(prefix);
  const page = listPage<StoredVersion>({
    prefix,
    delimiter: opts.delimiter || undefined,
    maxKeys: opts.maxKeys,
    start: resumeBound(prefix, opts.delimiter || undefined, opts.after),
    keyOf: (v) => v.key,
    scan: (from) => ctx.meta.versions.scanCurrent(bucket, from, before),
  });
  const last = page.last;
  const nextAfter = last === undefined ? undefined : 'row' in last ? last.row.key : last.prefix;
  return {
    objects: page.rows,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    ...(nextAfter === undefined ? {} : { nextAfter }),
  };
}

export function listObjectVersions(
  ctx: StoreContext,
  bucket: string,
  opts: ListVersionsOptions,
): ListVersionsResult {
  requireBucket(ctx.meta, bucket);
  const prefix = opts.prefix ?? '';
  const delimiter = opts.delimiter || undefined;
  const before = prefixSuccessor(prefix);
  const { keyMarker, versionIdMarker } = opts;
  if (versionIdMarker !== undefined && versionIdMarker !== '') {
    if (!keyMarker) {
      throw errors.invalidArgument(
        'A version-id marker cannot be specified without a key marker.',
        'version-id-marker',
        versionIdMarker,
      );
    }
    checkVersionId(versionIdMarker);
  }
  const start = resumeBound(prefix, delimiter, keyMarker || undefined);
  // Resuming inside a key: first the rest of its versions (older than the marker).
  let head: Iterable<StoredVersion> | undefined;
  if (keyMarker && versionIdMarker && keyMarker.startsWith(prefix) && !start.inclusive) {
    const marker = ctx.meta.versions.get(bucket, keyMarker, versionIdMarker);
    if (marker) {
      const seq = marker.seq;
      head = { [Symbol.iterator]: () => ctx.meta.versions.scanOlder(bucket, keyMarker, seq) };
    }
  }
  const page = listPage<StoredVersion>({
    prefix,
    delimiter,
    maxKeys: opts.maxKeys,
    start,
    head,
    keyOf: (v) => v.key,
    scan: (from) => ctx.meta.versions.scanAll(bucket, from, before),
  });
  const result = { versions: page.rows, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated };
  if (!page.isTruncated || !page.last) return result;
  return 'row' in page.last
    ? { ...result, nextKeyMarker: page.last.row.key, nextVersionIdMarker: page.last.row.versionId }
    : { ...result, nextKeyMarker: page.last.prefix };
}

function publicUpload(u: StoredUpload): MultipartUpload {
  const { seq: _seq, ...rest } = u;
  return rest;
}

export function listMultipartUploads(
  ctx: StoreContext,
  bucket: string,
  opts: ListUploadsOptions,
): ListUploadsResult {
  requireBucket(ctx.meta, bucket);
  const prefix = opts.prefix ?? '';
  const delimiter = opts.delimiter || undefined;
  const before = prefixSuccessor(prefix);
  const { keyMarker, uploadIdMarker } = opts;
  const start = resumeBound(prefix, delimiter, keyMarker || undefined);
  let head: Iterable<StoredUpload> | undefined;
  if (keyMarker && uploadIdMarker && keyMarker.startsWith(prefix) && !start.inclusive) {
    const marker = ctx.meta.uploads.get(uploadIdMarker);
    if (marker && marker.bucket === bucket && marker.key === keyMarker) {
      const seq = marker.seq;
      head = { [Symbol.iterator]: () => ctx.meta.uploads.scanNewer(bucket, keyMarker, seq) };
    }
  }
  const page = listPage<StoredUpload>({
    prefix,
    delimiter,
    maxKeys: opts.maxUploads,
    start,
    head,
    keyOf: (u) => u.key,
    scan: (from) => ctx.meta.uploads.scan(bucket, from, before),
  });
  const result = {
    uploads: page.rows.map(publicUpload),
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
  };
  if (!page.isTruncated || !page.last) return result;
  return 'row' in page.last
    ? { ...result, nextKeyMarker: page.last.row.key, nextUploadIdMarker: page.last.row.uploadId }
    : { ...result, nextKeyMarker: page.last.prefix };
}
