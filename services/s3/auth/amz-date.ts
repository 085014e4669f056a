/**
 * The timestamps of Signature V4: X-Amz-Date in the ISO 8601 basic format
 * ("20130524T000000Z"), the HTTP Date header as a fallback, and the
 * second-precision ISO form S3 puts in its error documents (ServerTime).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch of "yyyyMMdd'T'HHmmss'Z'", or undefined when it is not one (or not a real date). */
export function parseAmzDate(s: string): number | undefined {
  const m = AMZ_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, sec);
  const back = new Date(t);
  // Date.UTC rolls 20130231 over into March: such a date is not valid.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59)
    return undefined;
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
