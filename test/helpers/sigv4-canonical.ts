/**
 * Signs a request described as it goes on the wire (request target and
 * headers) with the server's own canonicalization, for tests that check it
 * against AWS's published signatures.
 */
import {
  canonicalHeaders,
  canonicalRequest,
  credentialScope,
  stringToSign,
  type DistinctHeaders,
} from '../../services/s3/auth/canonical-request.js';
import { deriveSigningKey, signString } from '../../services/s3/auth/signing-key.js';
import { canonicalQuery, canonicalUri } from '../../services/s3/auth/uri-encoding.js';

export interface Signing {
  readonly secret: string;
  readonly date: string;
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
}

/** The Signature Version 4 test suite: AKIDEXAMPLE, service "service", 20150830T123600Z. */
export const SUITE: Signing = {
  secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  date: '20150830',
  amzDate: '20150830T123600Z',
  region: 'us-east-1',
  service: 'service',
};

/** The S3 examples of the API reference: AKIAIOSFODNN7EXAMPLE, examplebucket, 20130524. */
export const S3_DOCS: Signing = {
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  date: '20130524',
  amzDate: '20130524T000000Z',
  region: 'us-east-1',
  service: 's3',
};

function distinct(headers: ReadonlyArray<readonly [string, string]>): DistinctHeaders {
  const out: Record<string, string[]> = {};
  for (const [name, value] of headers) (out[name.toLowerCase()] ??= []).push(value);
  return out;
}

/** Signs a request given as its request target (path and query as on the wire) and headers. */
export function signTarget(
  s: Signing,
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  payloadHash: string,
  skipQuery?: (name: string) => boolean,
): { canonical: string; sts: string; signature: string } {
  const q = target.indexOf('?');
  const signed = [...new Set(headers.map(([n]) => n.toLowerCase()))].sort();
  const canonical = canonicalRequest({
    method,
    uri: canonicalUri(q < 0 ? target : target.slice(0, q)),
    query: canonicalQuery(q < 0 ? '' : target.slice(q + 1), skipQuery),
    headers: canonicalHeaders(distinct(headers), signed),
    signedHeaders: signed.join(';'),
    payloadHash,
  });
  const sts = stringToSign(s.amzDate, credentialScope(s.date, s.region, s.service), canonical);
  return {
    canonical,
    sts,
    signature: signString(deriveSigningKey(s.secret, s.date, s.region, s.service), sts),
  };
}
