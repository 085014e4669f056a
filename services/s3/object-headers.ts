/**
 * The response headers that describe a stored object version, shared by
 * GetObject and HeadObject:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#API_HeadObject_ResponseSyntax
 */
import type { Bucket, ObjectVersion } from '../store/types.js';
import { checksumResponseHeaders } from './checksum-headers.js';
import { tagCount } from './tagging.js';

export type HeaderMap = Record<string, string | undefined>;

export interface ObjectHeaderOptions {
  /** The bucket holding the version: x-amz-version-id is sent only once versioning was ever configured. */
  readonly bucket: Bucket;
  /** x-amz-checksum-mode: ENABLED was sent. */
  readonly checksumMode?: boolean;
  /** The partNumber the request asked for, if any. */
  readonly partNumber?: number;
  /** A Range is served: a whole-object checksum would not describe the bytes sent. */
  readonly ranged?: boolean;
}

/** x-amz-version-id, present only for buckets that have (or had) versioning configured, as S3 does. */
export function versionIdHeader(bucket: Bucket, versionId: string | undefined): HeaderMap {
  return bucket.versioning === undefined || versionId === undefined ? {} : { 'x-amz-version-id': versionId };
}

function checksumHeaders(v: ObjectVersion, opts: ObjectHeaderOptions): HeaderMap {
  if (!opts.checksumMode || opts.ranged) return {};
  if (opts.partNumber !== undefined && v.parts !== undefined) {
    const part = v.parts[opts.partNumber - 1];
    return part?.checksum === undefined ? {} : checksumResponseHeaders(v.checksumAlgorithm, part.checksum);
  }
  return checksumResponseHeaders(v.checksumAlgorithm, v.checksum);
}

export function objectHeaders(v: ObjectVersion, opts: ObjectHeaderOptions): HeaderMap {
  const h: HeaderMap = {
    etag: v.etag,
    'last-modified': v.lastModified.toUTCString(),
    'content-length': String(v.size),
    'content-type': v.headers.contentType,
    'content-encoding': v.headers.contentEncoding,
    'content-disposition': v.headers.contentDisposition,
    'content-language': v.headers.contentLanguage,
    'cache-control': v.headers.cacheControl,
    expires: v.headers.expires,
    'accept-ranges': 'bytes',
    ...versionIdHeader(opts.bucket, v.versionId),
    'x-amz-storage-class': v.storageClass === 'STANDARD' ? undefined : v.storageClass,
    'x-amz-tagging-count': tagCount(v.tags),
    'x-amz-mp-parts-count':
      opts.partNumber !== undefined && v.parts !== undefined ? String(v.parts.length) : undefined,
    ...checksumHeaders(v, opts),
  };
  for (const [name, value] of Object.entries(v.userMetadata)) h[`x-amz-meta-${name}`] = value;
  return h;
}
