/**
 * The CanonicalURI and CanonicalQueryString of a Signature V4 request, as S3
 * computes them: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 *
 * S3 does not normalize the path (no dot-segment removal, "//" kept) and does
 * not encode it twice, but it does normalize the percent-encoding: what the
 * client sent is decoded byte by byte and encoded again with RFC 3986's
 * unreserved set ("%7e" and "~" are the same path, "a+b" is "a%2Bb", an
 * invalid escape such as "100%" is "100%25"). Query parameters are handled the
 * same way, with "+" read as a space (form encoding), then sorted by name and
 * then by value.
 */

const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const HEX = '0123456789ABCDEF';

function isUnreservedByte(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || // -
    b === 0x2e || // .
    b === 0x5f || // _
    b === 0x7e // ~
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * The bytes a raw URL component stands for: valid %XX escapes decoded, other
 * characters as sent (node hands the request target over one char per byte;
 * characters above U+00FF, which only a caller in code can produce, as UTF-8).
 */
function componentBytes(raw: string, plusIsSpace: boolean): Buffer {
  let wide = false;
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) > 0xff) {
      wide = true;
      break;
    }
  }
  const src = Buffer.from(raw, wide ? 'utf8' : 'latin1');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = plusIsSpace && b === 0x2b ? 0x20 : b;
  }
  return out.subarray(0, n);
}

/** RFC 3986 encoding of bytes: unreserved characters as they are, everything else %XX (upper case). */
function encodeBytes(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) {
    if (isUnreservedByte(b)) s += String.fromCharCode(b);
    else s += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return s;
}

/** The canonical form of one query name or value as sent on the wire. */
export function canonicalQueryComponent(raw: string): string {
  if (UNRESERVED.test(raw)) return raw;
  return encodeBytes(componentBytes(raw, true));
}

/**
 * CanonicalURI: the path as sent, its percent-encoding normalized segment by
 * segment (so an escaped "%2F" stays escaped); "/" for an empty path.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  if (UNRESERVED_PATH.test(rawPath)) return rawPath;
  return rawPath
    .split('/')
    .map((segment) => (UNRESERVED.test(segment) ? segment : encodeBytes(componentBytes(segment, false))))
    .join('/');
}

/** Decodes a query name or value as sent (for matching names like X-Amz-Signature). */
export function decodeQueryComponent(raw: string): string {
  if (UNRESERVED.test(raw)) return raw;
  return componentBytes(raw, true).toString('utf8');
}

/**
 * CanonicalQueryString of a raw query string (what follows "?"): every
 * parameter as name=value (a parameter without "=" has an empty value),
 * sorted by name, then by value. `skip` drops parameters by decoded,
 * lower-cased name (X-Amz-Signature of a presigned URL).
 */
export function canonicalQuery(rawQuery: string, skip?: (lowerName: string) => boolean): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    if (skip && skip(decodeQueryComponent(rawName).toLowerCase())) continue;
    pairs.push([canonicalQueryComponent(rawName), canonicalQueryComponent(rawValue)]);
  }
  if (pairs.length > 1) {
    // Encoded names and values are ASCII, so code-unit order is byte order.
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    out += (i === 0 ? '' : '&') + k + '=' + v;
  }
  return out;
}
