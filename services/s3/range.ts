/**
 * The Range header of GetObject / HeadObject, as S3 reads it: one byte range
 * (RFC 9110 §14.1.2) — "bytes=a-b", "bytes=a-" or the suffix "bytes=-n".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
 *
 * A header that does not parse, or asks for several ranges (S3 serves one
 * range per GET), is ignored and the whole object is served, as RFC 9110
 * allows and S3 does. A well-formed range that selects no byte of the object
 * — a start at or past the end, a zero-length suffix, any range of an empty
 * object — is InvalidRange (416).
 */
import { errors } from '../../shared/errors.js';
import type { ByteRange } from '../store/types.js';

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/** The requested range resolved against `size`, or undefined to serve the whole object. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = SINGLE_RANGE.exec(header.trim());
  if (!m) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw errors.invalidRange(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw errors.invalidRange(size, header);
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** The Content-Range value of a 206 response. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
