/**
 * CORS at the HTTP front: the preflight OPTIONS request (answered without
 * authentication, as S3 does) and the Access-Control-* headers added to
 * actual requests that carry an Origin.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html
 *
 * The refusals follow what S3 answers on the wire: 400 BadRequest without an
 * Origin, 403 AccessForbidden "CORSResponse: …" for a missing bucket, a bucket
 * without CORS rules, or no matching rule.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../shared/errors.js';
import type { CorsRule, ObjectStore } from '../store/types.js';
import { CORS_METHODS } from './cors-config.js';
import { corsHeadersFor, findCorsRule, requestedHeaders } from './cors-match.js';
import type { RequestTarget } from './request-target.js';
import type { S3Response } from './types.js';

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function forbidden(message: string | undefined, method: string, resourceType: 'BUCKET' | 'OBJECT'): Error {
  return errors.make('AccessForbidden', message, { Method: method, ResourceType: resourceType });
}

function rulesOf(store: ObjectStore, bucket: string): CorsRule[] | undefined {
  return store.getBucket(bucket) === undefined ? undefined : (store.getBucketCors(bucket) ?? []);
}

export function handlePreflight(
  target: RequestTarget,
  headers: IncomingHttpHeaders,
  store: ObjectStore,
): S3Response {
  const origin = single(headers.origin);
  const method = single(headers['access-control-request-method']);
  if (origin === undefined)
    throw errors.make('BadRequest', 'Insufficient information. Origin request header needed.');
  const rules = target.bucket === undefined ? undefined : rulesOf(store, target.bucket);
  if (rules === undefined) throw forbidden('CORSResponse: Bucket not found', method ?? 'OPTIONS', 'BUCKET');
  if (rules.length === 0) {
    throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method ?? 'OPTIONS', 'BUCKET');
  }
  if (method === undefined || !CORS_METHODS.includes(method)) {
    throw errors.make('BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`);
  }
  const query = {
    origin,
    method,
    headers: requestedHeaders(single(headers['access-control-request-headers'])),
  };
  const match = findCorsRule(rules, query);
  if (!match) throw forbidden(undefined, method, target.key === undefined ? 'BUCKET' : 'OBJECT');
  return { status: 200, headers: corsHeadersFor(match, query) };
}

/**
 * Headers for an actual request with an Origin; empty when no rule matches.
 * The Access-Control-Request-Method header, when sent, decides the method to
 * match (observed S3 behaviour); the request's own headers are not checked.
 */
export function corsResponseHeaders(
  bucket: string,
  headers: IncomingHttpHeaders,
  method: string,
  store: ObjectStore,
): Record<string, string> {
  const origin = single(headers.origin);
  if (origin === undefined) return {};
  const rules = rulesOf(store, bucket);
  if (!rules || rules.length === 0) return {};
  const query = { origin, method: single(headers['access-control-request-method']) ?? method, headers: [] };
  const match = findCorsRule(rules, query);
  return match ? corsHeadersFor(match, query) : {};
}
