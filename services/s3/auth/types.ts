import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { User } from '../../store/types.js';
import type { RequestTarget } from '../request-target.js';

export interface AuthResult {
  /** The caller; undefined only for routes that authenticate themselves (POST Object). */
  readonly user: User;
  /** The payload with aws-chunked framing removed, verified as it streams. */
  readonly body: Readable;
  /** Decoded payload length when known. */
  readonly contentLength: number | undefined;
  /** Trailing headers of an aws-chunked body (lower-case names), filled once the body ends. */
  readonly trailers: () => Readonly<Record<string, string>>;
}

export interface AuthenticateOptions {
  /** The route authenticates itself (POST Object with a signed policy): no header is required. */
  readonly anonymousAllowed: boolean;
}

/**
 * Verifies AWS Signature V4 (Authorization header or presigned query) and
 * returns the caller and the decoded body. Throws S3Error on failure
 * (InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied, RequestTimeTooSkewed, …).
 */
export type Authenticator = (
  req: IncomingMessage,
  target: RequestTarget,
  opts: AuthenticateOptions,
) => Promise<AuthResult>;
