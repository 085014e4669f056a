/**
 * Works out bucket and key from a request, path-style (/bucket/key) or
 * virtual-host-style (bucket.domain/key), as S3 does:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import { errors } from '../../shared/errors.js';

export interface RequestTarget {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** The path exactly as sent (still URI-encoded), for signature checks. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw errors.invalidArgument('The request path is not valid URI encoding.', 'path', s);
  }
}

export function parseRequestTarget(
  url: string,
  host: string | undefined,
  domains: readonly string[],
): RequestTarget {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  for (const domain of domains) {
    if (hostname.endsWith('.' + domain)) {
      const bucket = hostname.slice(0, -(domain.length + 1));
      const key = rawPath.length > 1 ? decode(rawPath.slice(1)) : undefined;
      return { bucket, key, rawPath, query };
    }
  }
  if (rawPath === '/' || rawPath === '') return { bucket: undefined, key: undefined, rawPath, query };
  const rest = rawPath.slice(1);
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), key: undefined, rawPath, query };
  const key = rest.slice(slash + 1);
  return { bucket: decode(rest.slice(0, slash)), key: key === '' ? undefined : decode(key), rawPath, query };
}
