/**
 * Reads the query parameters of a presigned URL (Signature V4 in the query):
 * X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders and X-Amz-Signature. S3 reads their names in any
 * letter case. The payload is UNSIGNED-PAYLOAD unless the URL or a header
 * names a hash.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
import type { IncomingMessage } from 'node:http';
import { parseAmzDate } from './amz-date.js';
import { authErrors } from './auth-errors.js';
import { ALGORITHM } from './canonical-request.js';
import { checkCredentialDate, parseCredential } from './credential-scope.js';
import type { SignedRequest } from './request-signature.js';

/** S3's longest presigned URL lifetime: seven days. */
export const MAX_EXPIRES_SECONDS = 604_800;

const PARAMETERS = [
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-signature',
  'x-amz-date',
  'x-amz-signedheaders',
  'x-amz-expires',
] as const;

/** The X-Amz-* parameters by lower-case name (the first occurrence of each). */
export function presignParameters(query: URLSearchParams): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of query) {
    if (name.length < 6 || (name[0] !== 'X' && name[0] !== 'x')) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !found.has(lower)) found.set(lower, value);
  }
  return found;
}

/** True when the query string carries Signature V4 parameters. */
export function isPresigned(params: ReadonlyMap<string, string>): boolean {
  return params.has('x-amz-algorithm') || params.has('x-amz-signature') || params.has('x-amz-credential');
}

function expiresOf(text: string): number {
  if (!/^-?\d+$/.test(text)) throw authErrors.queryParameters('X-Amz-Expires should be a number');
  const n = Number(text);
  if (n < 0) throw authErrors.queryParameters('X-Amz-Expires must be non-negative');
  if (n > MAX_EXPIRES_SECONDS) {
    throw authErrors.queryParameters(
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds`,
    );
  }
  return n;
}

export function readPresignedAuth(
  req: IncomingMessage,
  params: ReadonlyMap<string, string>,
  region: string,
): SignedRequest {
  const [algorithm, credentialText, signature, amzDate, signedHeaders, expiresText] = PARAMETERS.map((p) =>
    params.get(p),
  );
  if (
    algorithm === undefined ||
    credentialText === undefined ||
    signature === undefined ||
    amzDate === undefined ||
    signedHeaders === undefined ||
    expiresText === undefined
  ) {
    throw authErrors.missingQueryParameters();
  }
  if (algorithm !== ALGORITHM) {
    throw authErrors.queryParameters(
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"',
    );
  }
  const requestTime = parseAmzDate(amzDate);
  if (requestTime === undefined) {
    throw authErrors.queryParameters(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  const expiresSeconds = expiresOf(expiresText);
  const credential = parseCredential(credentialText, region, 'query');
  checkCredentialDate(credential, amzDate, 'query');
  const header = req.headers['x-amz-content-sha256'];
  const payloadHash =
    params.get('x-amz-content-sha256') ?? (typeof header === 'string' ? header : 'UNSIGNED-PAYLOAD');
  return {
    source: 'query',
    credential,
    signedHeaders: signedHeaders === '' ? [] : signedHeaders.toLowerCase().split(';'),
    signature,
    amzDate,
    requestTime,
    requestTimeText: amzDate,
    payloadHash,
    expiresSeconds,
  };
}
