/**
 * The canonical request and the string to sign of Signature V4:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
 *                      CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "AWS4-HMAC-SHA256" \n timestamp \n scope \n hex(sha256(CanonicalRequest))
 */
import { createHash } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Header values by lower-case name, every occurrence kept in order (node's req.headersDistinct). */
export type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/** A header value in canonical form: no spaces at the ends, each run of whitespace one space. */
export function canonicalHeaderValue(v: string): string {
  return v.trim().replace(/\s+/g, ' ');
}

/**
 * CanonicalHeaders for the signed header names, in the order given: one
 * "name:value\n" line each, repeated headers joined with ",". A signed header
 * the request lacks contributes an empty value (and so, in practice, a
 * signature mismatch).
 */
export function canonicalHeaders(headers: DistinctHeaders, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    const values = headers[name];
    let value = '';
    if (values !== undefined) {
      for (let i = 0; i < values.length; i++)
        value += (i === 0 ? '' : ',') + canonicalHeaderValue(values[i]!);
    }
    out += name + ':' + value + '\n';
  }
  return out;
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly uri: string;
  readonly query: string;
  /** CanonicalHeaders, each line ending in "\n". */
  readonly headers: string;
  /** The SignedHeaders list, names joined with ";". */
  readonly signedHeaders: string;
  readonly payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  return `${p.method}\n${p.uri}\n${p.query}\n${p.headers}\n${p.signedHeaders}\n${p.payloadHash}`;
}

/** "20130524/us-east-1/s3/aws4_request" */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
