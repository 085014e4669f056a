/**
 * Authenticates every S3 request with AWS Signature Version 4, from the
 * Authorization header or a presigned URL:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 *
 * The order of the checks is S3's: the form of the request (mechanism,
 * credential scope, date, x-amz-content-sha256, signed headers), then the
 * access key and the signature, and only then the time (a skewed or expired
 * request with a bad signature is SignatureDoesNotMatch). There is no
 * anonymous access: a request without a signature is AccessDenied, except on
 * routes that authenticate themselves (POST Object), which get ANONYMOUS_USER
 * and the raw request.
 */
import type { IncomingMessage } from 'node:http';
import type { Config } from '../../../shared/config.js';
import type { ObjectStore } from '../../store/types.js';
import type { RequestTarget } from '../request-target.js';
import { ANONYMOUS_USER } from './anonymous-user.js';
import { authErrors } from './auth-errors.js';
import { ALGORITHM } from './canonical-request.js';
import { readHeaderAuth } from './header-auth.js';
import { payloadModeOf } from './payload-mode.js';
import { isPresigned, presignParameters, readPresignedAuth } from './presigned-auth.js';
import { plainBody, requestBody } from './request-body.js';
import { checkSignedHeaders, verifyRequestSignature, type SignedRequest } from './request-signature.js';
import { SigningKeyCache } from './signing-key.js';
import type { Authenticator, AuthResult } from './types.js';

export interface AuthenticatorOptions {
  /** The clock (milliseconds since the epoch); tests pin it to the AWS examples' 2013. */
  readonly now?: () => number;
}

const NO_PARAMETERS: ReadonlyMap<string, string> = new Map();

function authorizationOf(req: IncomingMessage): string | undefined {
  const v = req.headers.authorization;
  // An empty header is no credentials at all (S3 then answers as to an anonymous request).
  return v === undefined || v.trim() === '' ? undefined : v;
}

function isSignatureV2Query(query: URLSearchParams): boolean {
  return query.has('AWSAccessKeyId') || query.has('Signature');
}

/** Which mechanism the request uses, read for form; throws for none, two, or an unsupported one. */
function readSignedRequest(req: IncomingMessage, target: RequestTarget, region: string): SignedRequest {
  const header = authorizationOf(req);
  const params = (req.url ?? '').includes('?') ? presignParameters(target.query) : NO_PARAMETERS;
  if (header !== undefined) {
    if (isPresigned(params) || isSignatureV2Query(target.query)) throw authErrors.oneMechanism(header);
    const scheme = /^\S*/.exec(header)![0];
    if (scheme === ALGORITHM) return readHeaderAuth(req, header, region);
    if (scheme === 'AWS') throw authErrors.signatureV2();
    throw authErrors.unsupportedAuthorization(header);
  }
  if (isPresigned(params)) return readPresignedAuth(req, params, region);
  if (isSignatureV2Query(target.query)) throw authErrors.signatureV2();
  throw authErrors.accessDenied();
}

/** RequestTimeTooSkewed for a header-signed request; not yet valid / expired for a presigned URL. */
function checkRequestTime(s: SignedRequest, now: number, maxSkewMs: number): void {
  if (s.expiresSeconds === undefined) {
    if (Math.abs(now - s.requestTime) > maxSkewMs)
      throw authErrors.requestTimeTooSkewed(s.requestTimeText, now, maxSkewMs);
    return;
  }
  if (s.requestTime - now > maxSkewMs) throw authErrors.requestNotYetValid(s.amzDate, now);
  const expiresAt = s.requestTime + s.expiresSeconds * 1000;
  // X-Amz-Expires=0 is valid syntax, but no moment is inside it.
  if (s.expiresSeconds === 0 || now > expiresAt)
    throw authErrors.requestExpired(s.expiresSeconds, expiresAt, now);
}

export function createAuthenticator(
  store: ObjectStore,
  config: Config,
  opts: AuthenticatorOptions = {},
): Authenticator {
  const keys = new SigningKeyCache();
  const now = opts.now ?? Date.now;
  const maxSkewMs = config.maxClockSkewSeconds * 1000;

  return async (req, target, { anonymousAllowed }): Promise<AuthResult> => {
    if (anonymousAllowed) return { user: ANONYMOUS_USER, ...plainBody(req) };
    const signed = readSignedRequest(req, target, config.region);
    const mode = payloadModeOf(signed.payloadHash);
    checkSignedHeaders(req.headers, signed.signedHeaders);
    const { credential } = signed;
    const user = store.findUser(credential.accessKey);
    if (user === undefined) throw authErrors.invalidAccessKeyId(credential.accessKey);
    const signingKey = keys.get(
      user.accessKey,
      user.secretKey,
      credential.date,
      credential.region,
      credential.service,
    );
    verifyRequestSignature(req, target.rawPath, signed, signingKey);
    checkRequestTime(signed, now(), maxSkewMs);
    const body = requestBody(req, mode, {
      signingKey,
      amzDate: signed.amzDate,
      scope: credential.scope,
      accessKey: credential.accessKey,
      seedSignature: signed.signature,
    });
    return { user, ...body };
  };
}
