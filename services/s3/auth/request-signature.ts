/**
 * Checks the Signature V4 of a request, from the Authorization header or a
 * presigned URL alike: rebuilds the canonical request from what arrived,
 * signs it with the user's key and compares in constant time.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { authErrors, type CredentialSource } from './auth-errors.js';
import { canonicalHeaders, canonicalRequest, stringToSign } from './canonical-request.js';
import type { Credential } from './credential-scope.js';
import { signaturesEqual, signString, type SigningKey } from './signing-key.js';
import { canonicalQuery, canonicalUri } from './uri-encoding.js';

/** What a signed request says about its signature, whichever way it was sent. */
export interface SignedRequest {
  readonly source: CredentialSource;
  readonly credential: Credential;
  /** Lower-case names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The timestamp of the string to sign ("20130524T000000Z"). */
  readonly amzDate: string;
  /** The request time in milliseconds, and as the client wrote it (for RequestTimeTooSkewed). */
  readonly requestTime: number;
  readonly requestTimeText: string;
  /** HashedPayload of the canonical request: x-amz-content-sha256, or UNSIGNED-PAYLOAD for a presigned URL. */
  readonly payloadHash: string;
  /** Presigned URLs: X-Amz-Expires in seconds. */
  readonly expiresSeconds?: number;
}

/**
 * Every x-amz-* header that arrived must be signed, and so must Host;
 * otherwise AccessDenied names the headers that were not.
 */
export function checkSignedHeaders(headers: IncomingHttpHeaders, signed: readonly string[]): void {
  let missing: string[] | undefined;
  if (!signed.includes('host')) missing = ['host'];
  for (const name in headers) {
    if (name.startsWith('x-amz-') && !signed.includes(name)) (missing ??= []).push(name);
  }
  if (missing) throw authErrors.headersNotSigned(missing);
}

function isSignatureParameter(lowerName: string): boolean {
  return lowerName === 'x-amz-signature';
}

/**
 * Verifies the request's signature with `signingKey`; throws
 * SignatureDoesNotMatch (with the strings this server signed, as S3 reports
 * them) when it differs.
 */
export function verifyRequestSignature(
  req: IncomingMessage,
  rawPath: string,
  s: SignedRequest,
  signingKey: SigningKey,
): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const query =
    q < 0 ? '' : canonicalQuery(url.slice(q + 1), s.source === 'query' ? isSignatureParameter : undefined);
  const method = req.method ?? 'GET';
  // Everything after CanonicalURI, shared by the two spellings of the path tried below.
  const tail = canonicalRequest({
    method: '',
    uri: '',
    query,
    headers: canonicalHeaders(req.headersDistinct, s.signedHeaders),
    signedHeaders: s.signedHeaders.join(';'),
    payloadHash: s.payloadHash,
  }).slice(2);
  const uri = canonicalUri(rawPath);
  const canonical = `${method}\n${uri}\n${tail}`;
  const sts = stringToSign(s.amzDate, s.credential.scope, canonical);
  if (signaturesEqual(signString(signingKey, sts), s.signature)) return;
  // Clients that sign the path exactly as they sent it, with an escape S3 would
  // spell differently (a raw "!" or a lower-case "%2f"), still get in.
  if (rawPath !== uri && rawPath !== '') {
    const alt = stringToSign(s.amzDate, s.credential.scope, `${method}\n${rawPath}\n${tail}`);
    if (signaturesEqual(signString(signingKey, alt), s.signature)) return;
  }
  throw authErrors.signatureDoesNotMatch({
    accessKey: s.credential.accessKey,
    stringToSign: sts,
    signatureProvided: s.signature,
    canonicalRequest: canonical,
  });
}
