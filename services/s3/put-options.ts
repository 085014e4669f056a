/**
 * Turns the headers of a write (PutObject, UploadPart, CreateMultipartUpload,
 * CopyObject with REPLACE) into the store's options, validated as S3 does:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
import type { Config } from '../../shared/config.js';
import { errors } from '../../shared/errors.js';
import type { ChecksumAlgorithm, ObjectHttpHeaders, PutObjectOptions, Tag } from '../store/types.js';
import {
  algorithmOfHeader,
  CHECKSUM_HEADERS,
  checksumAlgorithmOf,
  validateChecksumValue,
} from './checksum-headers.js';
import { OBJECT_TAG_LIMIT, parseTaggingHeader } from './tagging.js';
import type { S3Request } from './types.js';

type Headers = S3Request['headers'];

/** S3's limit on a key: 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** S3's limit on user metadata: 2 KB, counted as the UTF-8 bytes of every name and value. */
export const MAX_USER_METADATA_BYTES = 2048;

export const STORAGE_CLASSES: readonly string[] = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
];

/** One header as a string (node joins repeated unknown headers with ", "). */
export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function checkKeyLength(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw errors.make('KeyTooLongError', undefined, {
      Size: Buffer.byteLength(key, 'utf8'),
      MaxSizeAllowed: MAX_KEY_BYTES,
    });
  }
}

/** Content-Type, Content-Encoding (without the transport-only aws-chunked), and the other stored headers. */
export function parseHttpHeaders(headers: Headers): ObjectHttpHeaders {
  const encoding = (header(headers, 'content-encoding') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && t.toLowerCase() !== 'aws-chunked')
    .join(',');
  return {
    // S3 stores binary/octet-stream when a PUT carries no Content-Type.
    contentType: header(headers, 'content-type') || 'binary/octet-stream',
    contentEncoding: encoding || undefined,
    contentDisposition: header(headers, 'content-disposition'),
    contentLanguage: header(headers, 'content-language'),
    cacheControl: header(headers, 'cache-control'),
    expires: header(headers, 'expires'),
  };
}

/**
 * x-amz-meta-* headers, names lower-cased without the prefix; over 2 KB is
 * MetadataTooLarge. Node hands header values over as latin1 strings (one char
 * per byte received), so their byte count is their latin1 length.
 */
export function parseUserMetadata(headers: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  let size = 0;
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const key = name.slice('x-amz-meta-'.length).toLowerCase();
    const value = header(headers, name) ?? '';
    meta[key] = value;
    size += Buffer.byteLength(key, 'latin1') + Buffer.byteLength(value, 'latin1');
  }
  if (size > MAX_USER_METADATA_BYTES) {
    throw errors.make('MetadataTooLarge', undefined, { Size: size, MaxSizeAllowed: MAX_USER_METADATA_BYTES });
  }
  return meta;
}

export function parseStorageClass(headers: Headers): string | undefined {
  const sc = header(headers, 'x-amz-storage-class');
  if (sc === undefined || sc === '') return undefined;
  if (!STORAGE_CLASSES.includes(sc))
    throw errors.make('InvalidStorageClass', undefined, { StorageClassRequested: sc });
  return sc;
}

export function parseTagsHeader(headers: Headers): Tag[] | undefined {
  const t = header(headers, 'x-amz-tagging');
  return t === undefined ? undefined : parseTaggingHeader(t, { maxTags: OBJECT_TAG_LIMIT });
}

/** What a new object is stored with: HTTP headers, metadata, tags, storage class. */
export function parseObjectAttributes(
  req: S3Request,
): Pick<PutObjectOptions, 'headers' | 'userMetadata' | 'tags' | 'storageClass'> {
  return {
    headers: parseHttpHeaders(req.headers),
    userMetadata: parseUserMetadata(req.headers),
    tags: parseTagsHeader(req.headers),
    storageClass: parseStorageClass(req.headers),
  };
}

function parseContentMd5(headers: Headers): string | undefined {
  const md5 = header(headers, 'content-md5');
  if (md5 === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(md5.trim()))
    throw errors.make('InvalidDigest', undefined, { 'Content-MD5': md5 });
  return md5.trim();
}

interface ChecksumOptions {
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumValue?: string;
  trailingChecksum?: () => string | undefined;
}

/**
 * The checksum a body must match: one x-amz-checksum-* header, or a trailer
 * named by x-amz-trailer (aws-chunked uploads), or neither. The SDKs send
 * x-amz-sdk-checksum-algorithm along; without a value to go with it S3 answers
 * InvalidRequest. x-amz-checksum-algorithm (CreateMultipartUpload) names the
 * algorithm alone.
 */
export function parseChecksum(req: S3Request): ChecksumOptions {
  const given = Object.values(CHECKSUM_HEADERS).filter((h) => req.headers[h] !== undefined);
  for (const h of Object.keys(req.headers)) if (h.startsWith('x-amz-checksum-')) algorithmOfHeader(h);
  if (given.length > 1) {
    throw errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const trailer = header(req.headers, 'x-amz-trailer');
  if (given.length === 1) {
    const name = given[0]!;
    const alg = algorithmOfHeader(name)!;
    const value = header(req.headers, name)!.trim();
    validateChecksumValue(alg, value);
    return { checksumAlgorithm: alg, checksumValue: value };
  }
  if (trailer !== undefined && trailer.trim() !== '') {
    const name = trailer.trim().toLowerCase();
    const alg = algorithmOfHeader(name);
    if (alg === undefined)
      throw errors.invalidRequest('The value specified in the x-amz-trailer header is not supported');
    return { checksumAlgorithm: alg, trailingChecksum: () => req.trailers()[name] };
  }
  const sdk = header(req.headers, 'x-amz-sdk-checksum-algorithm');
  if (sdk !== undefined) {
    checksumAlgorithmOf(sdk, 'x-amz-sdk-checksum-algorithm');
    throw errors.invalidRequest(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  const named = header(req.headers, 'x-amz-checksum-algorithm');
  return named === undefined
    ? {}
    : { checksumAlgorithm: checksumAlgorithmOf(named, 'x-amz-checksum-algorithm') };
}

/** Conditional writes: If-None-Match accepts only "*" (anything else is NotImplemented, as on S3). */
export function parseWriteConditions(headers: Headers): Pick<PutObjectOptions, 'ifMatch' | 'ifNoneMatch'> {
  const ifNoneMatch = header(headers, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw errors.make('NotImplemented', undefined, { Header: 'If-None-Match' });
  }
  return { ifNoneMatch: ifNoneMatch?.trim(), ifMatch: header(headers, 'if-match') };
}

/**
 * The body's expected size: Content-Length, or x-amz-decoded-content-length for
 * aws-chunked bodies. A write without either is MissingContentLength; one over
 * the configured maximum is EntityTooLarge before a byte is read.
 */
export function parseContentLength(req: S3Request, config: Config): number {
  const n = req.contentLength;
  if (n === undefined) throw errors.make('MissingContentLength');
  if (n > config.maxObjectSize) {
    throw errors.make('EntityTooLarge', undefined, { ProposedSize: n, MaxSizeAllowed: config.maxObjectSize });
  }
  return n;
}

/** Everything the store needs to verify the body of a write: size, Content-MD5, checksum. */
export function parseBodyChecks(
  req: S3Request,
  config: Config,
): Pick<PutObjectOptions, 'contentLength' | 'contentMd5' | 'maxSize' | 'signal'> & ChecksumOptions {
  return {
    contentLength: parseContentLength(req, config),
    contentMd5: parseContentMd5(req.headers),
    maxSize: config.maxObjectSize,
    signal: req.signal,
    ...parseChecksum(req),
  };
}

/** All of PutObject's options. */
export function parsePutOptions(req: S3Request, config: Config): PutObjectOptions {
  checkKeyLength(req.key ?? '');
  return {
    ...parseObjectAttributes(req),
    ...parseBodyChecks(req, config),
    ...parseWriteConditions(req.headers),
  };
}
