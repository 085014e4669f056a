/**
 * What GetObject and HeadObject share: resolve the version, refuse a delete
 * marker, evaluate the If-* conditions, work out the part or range to serve,
 * and build the response headers (with response-* overrides).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
import { errors } from '../../shared/errors.js';
import type { ByteRange, ObjectStore, ObjectVersion } from '../store/types.js';
import { checkPreconditions, readPreconditions } from './conditions.js';
import { partNumberOf } from './multipart-request.js';
import { objectHeaders, type HeaderMap } from './object-headers.js';
import { objectTarget } from './object-request.js';
import { header } from './put-options.js';
import { contentRange, parseRange } from './range.js';
import type { S3Context, S3Request } from './types.js';

export interface ObjectRead {
  readonly version: ObjectVersion;
  readonly status: 200 | 206;
  readonly headers: HeaderMap;
  readonly range?: ByteRange;
}

/** Query parameters that override response headers of a signed GET/HEAD. */
const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function overrides(query: URLSearchParams): HeaderMap {
  const out: HeaderMap = {};
  for (const [param, name] of Object.entries(OVERRIDES)) {
    const v = query.get(param);
    if (v === null) continue;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) throw errors.invalidArgument(`Invalid ${param} value`, param, v);
    // Sent as its UTF-8 bytes (node writes header strings as latin1).
    out[name] = Buffer.from(v, 'utf8').toString('latin1');
  }
  return out;
}

/** The byte range of part `n` (1-based) of a version; a single-part object is its own part 1. */
function partRange(v: ObjectVersion, n: number): ByteRange | undefined {
  const parts = v.parts ?? [{ size: v.size }];
  const part = parts[n - 1];
  if (part === undefined)
    throw errors.make('InvalidPartNumber', undefined, {
      PartNumberRequested: n,
      ActualPartCount: parts.length,
    });
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += parts[i]!.size;
  return part.size === 0 ? undefined : { start, end: start + part.size - 1 };
}

/**
 * The version a read names. A versionId that names a delete marker is
 * MethodNotAllowed with x-amz-delete-marker, as S3 answers; a missing key or
 * version is the store's NoSuchKey / NoSuchVersion.
 */
export function headLiveVersion(
  store: ObjectStore,
  bucket: string,
  key: string,
  versionId: string | undefined,
  method: string,
): ObjectVersion {
  const version = store.headObject(bucket, key, { versionId });
  if (version.isDeleteMarker) {
    throw errors.methodNotAllowed(method, 'DeleteMarker', {
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': version.versionId,
      'last-modified': version.lastModified.toUTCString(),
    });
  }
  return version;
}

export function prepareObjectRead(req: S3Request, { store }: S3Context): ObjectRead {
  const { bucket, key, versionId } = objectTarget(req);
  const rangeHeader = header(req.headers, 'range');
  const partNumber = req.query.has('partNumber') ? partNumberOf(req.query) : undefined;
  if (partNumber !== undefined && rangeHeader !== undefined) {
    throw errors.invalidRequest('Cannot specify both Range header and partNumber query parameter');
  }
  const extra = overrides(req.query);
  const version = headLiveVersion(store, bucket.name, key, versionId, req.method);
  checkPreconditions(version, readPreconditions(req.headers), 'read');
  const range =
    partNumber !== undefined ? partRange(version, partNumber) : parseRange(rangeHeader, version.size);
  const headers = objectHeaders(version, {
    bucket,
    checksumMode: header(req.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED',
    partNumber,
    ranged: range !== undefined && partNumber === undefined,
  });
  if (range === undefined) return { version, status: 200, headers: { ...headers, ...extra } };
  return {
    version,
    status: 206,
    range,
    headers: {
      ...headers,
      'content-length': String(range.end - range.start + 1),
      'content-range': contentRange(range, version.size),
      ...extra,
    },
  };
}
