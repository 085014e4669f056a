/**
 * The timestamps of Signature V4: X-Amz-Date in the ISO 8601 basic format
 * ("20130524T000000Z"), the HTTP Date header as a fallback, and the
 * second-precision ISO form S3 puts in its error documents (ServerTime).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Milliseconds since the epoch of "yyyyMMdd'T'HHmmss'Z'", or undefined when it is not one (or not a real date). */
export function parseAmzDate(s: string): number | undefined {
  // Read by hand: this runs on every request.
  if (s.length !== 16 || s[8] !== 'T' || s[15] !== 'Z') return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 4, 2);
  const d = digits(s, 6, 2);
  const h = digits(s, 9, 2);
  const mi = digits(s, 11, 2);
  const sec = digits(s, 13, 2);
  if (Number.isNaN(y + mo + d + h + mi + sec) || h > 23 || mi > 59 || sec > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec);
  const back = new Date(t);
  // Date.UTC rolls 20130231 over into March: such a date is not valid.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t;
}

/** "yyyyMMdd'T'HHmmss'Z'" of a time. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** "2013-05-24T00:00:00Z": ISO 8601 without milliseconds, as S3 writes ServerTime and Expires. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 1123 / RFC 850 / asctime Date header, in milliseconds; undefined when unreadable. */
export function parseHttpDate(s: string): number | undefined {
  // Date.parse reads all three forms RFC 9110 §5.6.7 allows; a bare number is not a date.
  if (!/[A-Za-z]/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
