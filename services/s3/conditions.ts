/**
 * Conditional requests on an object's ETag and Last-Modified, evaluated in
 * RFC 7232 §6 order with S3's documented outcomes:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-* headers)
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html (x-amz-copy-source-if-*)
 *
 * - If-Match false → 412. If-Match true makes If-Unmodified-Since irrelevant.
 * - Otherwise If-Unmodified-Since false → 412.
 * - If-None-Match false → 304 on a read (412 for a copy source).
 *   If-None-Match present makes If-Modified-Since irrelevant.
 * - Otherwise If-Modified-Since false → 304 (412 for a copy source).
 * Dates are parsed leniently; a date that does not parse is ignored (RFC 7232 §3.3).
 */
import { errors } from '../../shared/errors.js';
import type { ObjectVersion } from '../store/types.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface Preconditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: Date;
  readonly ifUnmodifiedSince?: Date;
}

function one(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function parseHttpDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The If-* headers (prefix '') or the x-amz-copy-source-if-* headers of a request. */
export function readPreconditions(headers: Headers, prefix: '' | 'x-amz-copy-source-' = ''): Preconditions {
  return {
    ifMatch: one(headers, `${prefix}if-match`),
    ifNoneMatch: one(headers, `${prefix}if-none-match`),
    ifModifiedSince: parseHttpDate(one(headers, `${prefix}if-modified-since`)),
    ifUnmodifiedSince: parseHttpDate(one(headers, `${prefix}if-unmodified-since`)),
  };
}

function bareEtag(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** True when the list ("*" or comma-separated ETags, quoted or not) names `etag`. */
export function etagMatches(list: string, etag: string): boolean {
  const mine = bareEtag(etag);
  return list.split(',').some((t) => t.trim() === '*' || bareEtag(t) === mine);
}

/** Last-Modified as HTTP dates carry it: whole seconds. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Throws PreconditionFailed, or NotModified (ETag and Last-Modified headers)
 * when `mode` is 'read', if the conditions do not hold for `version`.
 */
export function checkPreconditions(
  version: Pick<ObjectVersion, 'etag' | 'lastModified'>,
  p: Preconditions,
  mode: 'read' | 'copy-source',
): void {
  const prefix = mode === 'read' ? '' : 'x-amz-copy-source-';
  if (p.ifMatch !== undefined) {
    if (!etagMatches(p.ifMatch, version.etag)) throw errors.preconditionFailed(`${prefix}If-Match`);
  } else if (
    p.ifUnmodifiedSince !== undefined &&
    seconds(version.lastModified) > seconds(p.ifUnmodifiedSince)
  ) {
    throw errors.preconditionFailed(`${prefix}If-Unmodified-Since`);
  }
  const notModified = (condition: string) =>
    mode === 'read'
      ? errors.notModified({ etag: version.etag, 'last-modified': version.lastModified.toUTCString() })
      : errors.preconditionFailed(condition);
  if (p.ifNoneMatch !== undefined) {
    if (etagMatches(p.ifNoneMatch, version.etag)) throw notModified(`${prefix}If-None-Match`);
  } else if (p.ifModifiedSince !== undefined && seconds(version.lastModified) <= seconds(p.ifModifiedSince)) {
    throw notModified(`${prefix}If-Modified-Since`);
  }
}
