/**
 * Reads the Authorization header of Signature V4:
 *   AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request,
 *     SignedHeaders=host;range;x-amz-date, Signature=fe5f80f7…
 * with the request time from x-amz-date (or Date) and the payload hash from
 * x-amz-content-sha256, which S3 requires with this form of authentication.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
import type { IncomingMessage } from 'node:http';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date.js';
import { authErrors } from './auth-errors.js';
import { ALGORITHM } from './canonical-request.js';
import { checkCredentialDate, parseCredential } from './credential-scope.js';
import type { SignedRequest } from './request-signature.js';

export interface AuthorizationComponents {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

/** Splits the value after "AWS4-HMAC-SHA256 " into its three components. */
export function parseAuthorizationComponents(value: string): AuthorizationComponents {
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const raw of value.slice(ALGORITHM.length).split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw authErrors.malformedHeader(`the authorization component "${part}" is malformed.`);
    const name = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (name === 'Credential') credential = v;
    else if (name === 'SignedHeaders') signedHeaders = v;
    else if (name === 'Signature') signature = v;
    else throw authErrors.malformedHeader(`the authorization component "${part}" is malformed.`);
  }
  if (!credential || signedHeaders === undefined || !signature) throw authErrors.missingComponents();
  return { credential, signedHeaders, signature };
}

function single(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The request time: x-amz-date when valid, else the Date header; AccessDenied when neither is. */
function requestTimeOf(req: IncomingMessage): { ms: number; amzDate: string; text: string } {
  const amz = single(req, 'x-amz-date');
  if (amz !== undefined) {
    const ms = parseAmzDate(amz);
    if (ms !== undefined) return { ms, amzDate: amz, text: amz };
  }
  const date = single(req, 'date');
  if (date !== undefined) {
    const ms = parseHttpDate(date);
    if (ms !== undefined) return { ms, amzDate: formatAmzDate(ms), text: date };
  }
  throw authErrors.missingDate();
}

/** Everything the Authorization header says, checked for form; the signature itself is checked later. */
export function readHeaderAuth(req: IncomingMessage, value: string, region: string): SignedRequest {
  const parts = parseAuthorizationComponents(value);
  const credential = parseCredential(parts.credential, region, 'header');
  const payloadHash = single(req, 'x-amz-content-sha256');
  if (payloadHash === undefined) throw authErrors.missingContentSha256();
  const time = requestTimeOf(req);
  checkCredentialDate(credential, time.amzDate, 'header');
  return {
    source: 'header',
    credential,
    signedHeaders: parts.signedHeaders === '' ? [] : parts.signedHeaders.toLowerCase().split(';'),
    signature: parts.signature,
    amzDate: time.amzDate,
    requestTime: time.ms,
    requestTimeText: time.text,
    payloadHash,
  };
}
