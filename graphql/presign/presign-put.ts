/**
 * A presigned PUT URL (AWS Signature V4 in the query string), computed with
 * the same canonical-request and signing-key code that verifies requests:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * The payload is UNSIGNED-PAYLOAD; Host, and Content-Type when one is asked
 * for, are signed, so the PUT must send exactly those.
 */
import { formatAmzDate } from '../../services/s3/auth/amz-date.js';
import {
  ALGORITHM,
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  stringToSign,
} from '../../services/s3/auth/canonical-request.js';
import { S3_SERVICE } from '../../services/s3/auth/credential-scope.js';
import { deriveSigningKey, signString } from '../../services/s3/auth/signing-key.js';
import { canonicalQuery, canonicalUri } from '../../services/s3/auth/uri-encoding.js';

export interface PresignPutInput {
  /** "http" or "https". */
  readonly protocol: string;
  /** Host header value the URL is for ("127.0.0.1:9000"). */
  readonly host: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly key: string;
  readonly expiresSeconds: number;
  readonly contentType?: string;
  /** Signing time in milliseconds (Date.now()). */
  readonly now: number;
}

export interface PresignedRequest {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the request must carry as given (besides Host). */
  readonly headers: readonly { name: string; value: string }[];
  readonly expiresAt: Date;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 encoding: everything but unreserved characters as %XX of its UTF-8 bytes. */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A path-style object path, each segment encoded ("/" kept: keys use it as a separator). */
export function objectPath(bucket: string, key: string): string {
  return canonicalUri(`/${bucket}/${key.split('/').map(rfc3986).join('/')}`);
}

export function presignPut(p: PresignPutInput): PresignedRequest {
  const amzDate = formatAmzDate(p.now);
  const date = amzDate.slice(0, 8);
  const scope = credentialScope(date, p.region, S3_SERVICE);
  const headerValues: Record<string, string[]> = { host: [p.host] };
  if (p.contentType !== undefined) headerValues['content-type'] = [p.contentType];
  const signedHeaders = Object.keys(headerValues).sort();
  const params: [string, string][] = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Content-Sha256', UNSIGNED_PAYLOAD],
    ['X-Amz-Credential', `${p.accessKey}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(p.expiresSeconds)],
    ['X-Amz-SignedHeaders', signedHeaders.join(';')],
  ];
  const rawQuery = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const path = objectPath(p.bucket, p.key);
  const canonical = canonicalRequest({
    method: 'PUT',
    uri: path,
    query: canonicalQuery(rawQuery),
    headers: canonicalHeaders(headerValues, signedHeaders),
    signedHeaders: signedHeaders.join(';'),
    payloadHash: UNSIGNED_PAYLOAD,
  });
  const signingKey = deriveSigningKey(p.secretKey, date, p.region, S3_SERVICE);
  const signature = signString(signingKey, stringToSign(amzDate, scope, canonical));
  return {
    url: `${p.protocol}://${p.host}${path}?${rawQuery}&X-Amz-Signature=${signature}`,
    method: 'PUT',
    headers: p.contentType === undefined ? [] : [{ name: 'Content-Type', value: p.contentType }],
    expiresAt: new Date(p.now + p.expiresSeconds * 1000),
  };
}
