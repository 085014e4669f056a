/**
 * Query parameters the listing operations share (ListObjects, ListObjectsV2,
 * ListObjectVersions, ListBuckets), validated with S3's answers:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { errors } from '../../shared/errors.js';

/** S3 never returns more than 1000 entries per page; larger max-keys are clamped. */
export const MAX_LIST_KEYS = 1000;
const MAX_INT32 = 2_147_483_647;

/** max-keys: absent → 1000; not an integer → InvalidArgument; negative → InvalidArgument; > 1000 → 1000. */
export function parseMaxKeys(query: URLSearchParams, name = 'max-keys'): number {
  const raw = query.get(name);
  if (raw === null) return MAX_LIST_KEYS;
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed) || Math.abs(Number(trimmed)) > MAX_INT32) {
    throw errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  }
  const n = Number(trimmed);
  if (n < 0)
    throw errors.invalidArgument(
      `Argument ${name === 'max-keys' ? 'maxKeys' : name} must be an integer between 0 and ${MAX_INT32}`,
      name,
      raw,
    );
  return Math.min(n, MAX_LIST_KEYS);
}

/** encoding-type: only "url" exists; anything else is InvalidArgument. */
export function parseEncodingType(query: URLSearchParams): 'url' | undefined {
  const raw = query.get('encoding-type');
  if (raw === null) return undefined;
  if (raw.toLowerCase() !== 'url') {
    throw errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', raw);
  }
  return 'url';
}

/** A query parameter, with an empty value treated as absent (as S3 does for prefix, marker, …). */
export function optionalParam(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name);
  return v === null || v === '' ? undefined : v;
}

/*
 * Continuation tokens are opaque to clients. Ours carry the position to resume
 * after, versioned so a token from another format is refused rather than misread.
 */
const TOKEN_PREFIX = 'v1:';

export function encodeContinuationToken(after: string): string {
  return Buffer.from(TOKEN_PREFIX + after, 'utf8').toString('base64url');
}

/** The position a token stands for; InvalidArgument for anything we did not issue. */
export function decodeContinuationToken(token: string, name = 'continuation-token'): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (
    token === '' ||
    !text.startsWith(TOKEN_PREFIX) ||
    encodeContinuationToken(text.slice(TOKEN_PREFIX.length)) !== token
  ) {
    throw errors.invalidArgument('The continuation token provided is incorrect', name, token);
  }
  return text.slice(TOKEN_PREFIX.length);
}
