/**
 * Matching a request against a bucket's CORS rules, as S3 evaluates them:
 * the first rule whose AllowedOrigin, AllowedMethod and (for a preflight)
 * AllowedHeader entries all match wins.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 *
 * Observed S3 behaviour this follows: '*' matches any run of characters,
 * including none, and a pattern is anchored at both ends; header names match
 * without regard to case and are answered lower-cased, in the order asked;
 * Allow-Methods lists the matched rule's methods; credentials are allowed
 * unless the rule's origin is the bare '*'. Origins match case-sensitively,
 * as browsers serialize them (WHATWG Fetch).
 */
import type { CorsRule } from '../store/types.js';

/** Whether `value` matches `pattern`, which holds at most one '*'. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** Access-Control-Request-Headers as a list of lower-case names. */
export function requestedHeaders(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

export interface CorsQuery {
  readonly origin: string;
  readonly method: string;
  /** Lower-case names a preflight asks for; empty for actual requests. */
  readonly headers: readonly string[];
}

export interface CorsMatch {
  readonly rule: CorsRule;
  /** The origin pattern that matched ('*' makes the answer Allow-Origin: *). */
  readonly originPattern: string;
}

export function findCorsRule(rules: readonly CorsRule[], q: CorsQuery): CorsMatch | undefined {
  for (const rule of rules) {
    const originPattern = rule.allowedOrigins.find((o) => wildcardMatch(o, q.origin));
    if (originPattern === undefined) continue;
    if (!rule.allowedMethods.includes(q.method)) continue;
    const allowed = rule.allowedHeaders.map((h) => h.toLowerCase());
    if (!q.headers.every((h) => allowed.some((p) => wildcardMatch(p, h)))) continue;
    return { rule, originPattern };
  }
  return undefined;
}

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** The Access-Control-* headers answering a matched request. */
export function corsHeadersFor(match: CorsMatch, q: CorsQuery): Record<string, string> {
  const { rule } = match;
  const anyOrigin = match.originPattern === '*';
  const out: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : q.origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
  };
  if (q.headers.length > 0) out['access-control-allow-headers'] = q.headers.join(', ');
  if (rule.exposeHeaders.length > 0) out['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.maxAgeSeconds);
  if (!anyOrigin) out['access-control-allow-credentials'] = 'true';
  out['vary'] = VARY;
  return out;
}
