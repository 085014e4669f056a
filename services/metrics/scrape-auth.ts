/**
 * Who may read /_strata/metrics. The figures are node-wide (every user's
 * traffic), so by default a scraper must present either
 *   - the root user's S3 keys as HTTP Basic auth
 *     (`Authorization: Basic base64(accessKey:secretKey)`, Prometheus `basic_auth`), or
 *   - the bearer token set in STRATA_METRICS_TOKEN
 *     (`Authorization: Bearer <token>`, Prometheus `authorization: { credentials: … }`).
 * STRATA_METRICS_AUTH=public opens the endpoint to anyone who can reach the
 * port, like MinIO's MINIO_PROMETHEUS_AUTH_TYPE=public.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface ScrapeAuthOptions {
  readonly public: boolean;
  /** Bearer token accepted besides Basic auth; undefined: Basic auth only. */
  readonly token: string | undefined;
  /** The user with this access key, if any (the store's findUser). */
  readonly findUser: (
    accessKey: string,
  ) => { readonly secretKey: string; readonly isRoot: boolean } | undefined;
}

/** ok; 401 when no valid credentials came; 403 when they are valid but not the root user's. */
export type ScrapeAuthResult = 'ok' | 'unauthenticated' | 'forbidden';

export function authorizeScrape(headers: IncomingHttpHeaders, opts: ScrapeAuthOptions): ScrapeAuthResult {
  if (opts.public) return 'ok';
  const header = headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (space > 0 && scheme === 'bearer' && opts.token !== undefined) {
    return sameSecret(value, opts.token) ? 'ok' : 'unauthenticated';
  }
  if (space > 0 && scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return 'unauthenticated';
    const user = opts.findUser(decoded.slice(0, colon));
    // Compare even for an unknown key, so the time does not tell which keys exist.
    const same = sameSecret(decoded.slice(colon + 1), user?.secretKey ?? 'no such user: compare anyway');
    if (!user || !same) return 'unauthenticated';
    return user.isRoot ? 'ok' : 'forbidden';
  }
  return 'unauthenticated';
}

/** Constant-time comparison that does not leak the secret's length either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The WWW-Authenticate challenge of a 401 (RFC 7617 Basic; RFC 6750 Bearer when a token is set). */
export function scrapeChallenge(opts: ScrapeAuthOptions): string[] {
  const challenges = ['Basic realm="strata", charset="UTF-8"'];
  if (opts.token !== undefined) challenges.push('Bearer realm="strata"');
  return challenges;
}
