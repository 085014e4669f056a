/**
 * The x-amz-checksum-* headers and the store's checksum algorithms, both
 * ways: which header carries which algorithm on a request, and the headers a
 * stored checksum is returned under.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { errors } from '../../shared/errors.js';
import { isWellFormedChecksum } from '../store/checksums.js';
import type { ChecksumAlgorithm } from '../store/types.js';

export const CHECKSUM_HEADERS: Readonly<Record<ChecksumAlgorithm, string>> = {
  CRC32: 'x-amz-checksum-crc32',
  CRC32C: 'x-amz-checksum-crc32c',
  SHA1: 'x-amz-checksum-sha1',
  SHA256: 'x-amz-checksum-sha256',
};

/** Algorithms S3 knows that this store does not compute (yet). */
const UNSUPPORTED = ['CRC64NVME', 'MD5', 'SHA512', 'XXHASH64', 'XXHASH3', 'XXHASH128'];

/** The algorithm named by a header value such as x-amz-sdk-checksum-algorithm (case-insensitive). */
export function checksumAlgorithmOf(name: string, header: string): ChecksumAlgorithm {
  const upper = name.trim().toUpperCase();
  if (upper in CHECKSUM_HEADERS) return upper as ChecksumAlgorithm;
  if (UNSUPPORTED.includes(upper)) throw errors.notImplemented(`The ${upper} checksum algorithm`);
  throw errors.invalidRequest(`Value for ${header} header is invalid.`);
}

/** The algorithm whose checksum header is `header` (x-amz-checksum-sha256 → SHA256), if any. */
export function algorithmOfHeader(header: string): ChecksumAlgorithm | undefined {
  const h = header.trim().toLowerCase();
  for (const [alg, name] of Object.entries(CHECKSUM_HEADERS)) if (name === h) return alg as ChecksumAlgorithm;
  if (
    h.startsWith('x-amz-checksum-') &&
    UNSUPPORTED.includes(h.slice('x-amz-checksum-'.length).toUpperCase())
  ) {
    throw errors.notImplemented(`The ${h} checksum`);
  }
  return undefined;
}

/** Throws InvalidRequest unless `value` is the base64 of a digest of the right size. */
export function validateChecksumValue(alg: ChecksumAlgorithm, value: string): void {
  if (!isWellFormedChecksum(alg, value))
    throw errors.invalidRequest(`Value for ${CHECKSUM_HEADERS[alg]} header is invalid.`);
}

/**
 * Response headers for a stored checksum: the value under its algorithm's
 * header and x-amz-checksum-type (COMPOSITE for a multipart "<b64>-N" value).
 */
export function checksumResponseHeaders(
  alg: ChecksumAlgorithm | undefined,
  value: string | undefined,
): Record<string, string> {
  if (alg === undefined || value === undefined) return {};
  return {
    [CHECKSUM_HEADERS[alg]]: value,
    'x-amz-checksum-type': /-\d+$/.test(value) ? 'COMPOSITE' : 'FULL_OBJECT',
  };
}
