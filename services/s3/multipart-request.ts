/**
 * Request pieces the multipart operations share (and GetObject's partNumber,
 * CopyObject's checksum element): the partNumber and uploadId query
 * parameters, ListParts' part-number-marker, and the XML names part
 * checksums travel under.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import { errors } from '../../shared/errors.js';
import type { ChecksumAlgorithm } from '../store/types.js';
import type { S3Request } from './types.js';

/** S3's limit: part numbers 1..10000. */
export const MAX_PART_NUMBER = 10_000;
const MAX_INT32 = 2_147_483_647;

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'SHA1', 'SHA256'];

/** The key of an object-scoped request (the route table sends only those to object handlers). */
export function objectKey(req: S3Request): string {
  if (req.key === undefined) throw errors.internal(new Error('object route reached without an object key'));
  return req.key;
}

/** ?partNumber: an integer 1..10000, else InvalidArgument with S3's wording. */
export function partNumberOf(query: URLSearchParams): number {
  const raw = query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw errors.invalidArgument(
      `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`,
      'partNumber',
      raw,
    );
  }
  return n;
}

/** ?uploadId: S3 answers NoSuchUpload for an empty one, like for any unknown id. */
export function uploadIdOf(query: URLSearchParams): string {
  const id = query.get('uploadId') ?? '';
  if (id === '') throw errors.noSuchUpload(id);
  return id;
}

/** ?part-number-marker: absent or an integer; parts after it are listed. */
export function partNumberMarkerOf(query: URLSearchParams): number | undefined {
  const raw = query.get('part-number-marker');
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || Math.abs(Number(raw)) > MAX_INT32) {
    throw errors.invalidArgument(
      'Provided part-number-marker not an integer or within integer range',
      'part-number-marker',
      raw,
    );
  }
  const n = Number(raw);
  if (n < 0) {
    throw errors.invalidArgument(
      `Argument part-number-marker must be an integer between 0 and ${MAX_INT32}`,
      'part-number-marker',
      raw,
    );
  }
  return n;
}

/** The XML element a checksum of `alg` is carried in: ChecksumCRC32, ChecksumSHA256, … */
export function checksumElement(alg: ChecksumAlgorithm): string {
  return `Checksum${alg}`;
}

/** ETags are compared and stored quoted; clients may send them with or without quotes. */
export function quoteEtag(etag: string): string {
  const bare = etag.trim().replace(/^"(.*)"$/, '$1');
  return `"${bare}"`;
}
