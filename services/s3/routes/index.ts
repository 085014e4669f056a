import { bucketRoutes } from './bucket-routes.js';
import { formRoutes } from './form-routes.js';
import { multipartRoutes } from './multipart-routes.js';
import { objectRoutes } from './object-routes.js';
import type { Route, RouteScope } from './route.js';

export type { Route, RouteScope } from './route.js';

/** Every route, most specific first: a route with more conditions wins over one with fewer. */
export const routes: readonly Route[] = [
  ...bucketRoutes,
  ...objectRoutes,
  ...multipartRoutes,
  ...formRoutes,
].sort((a, b) => specificity(b) - specificity(a));

function specificity(r: Route): number {
  return (r.query?.length ?? 0) * 2 + (r.header ? 2 : 0) + (r.contentType ? 1 : 0);
}

/**
 * S3 sub-resources (query parameters that name a different operation). A
 * request carrying one is only served by a route that declares it, so that
 * e.g. `PUT /bucket?policy` is never mistaken for CreateBucket.
 */
export const SUB_RESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
]);

/** The first sub-resource in the query, if any. */
export function subResourceOf(query: URLSearchParams): string | undefined {
  for (const name of query.keys()) if (SUB_RESOURCES.has(name)) return name;
  return undefined;
}

function declares(r: Route, name: string): boolean {
  return r.query?.some((q) => q === name || q.startsWith(name + '=')) ?? false;
}

export interface RouteRequest {
  readonly method: string;
  readonly scope: RouteScope;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

function queryMatches(cond: string, query: URLSearchParams): boolean {
  const eq = cond.indexOf('=');
  if (eq < 0) return query.has(cond);
  return query.get(cond.slice(0, eq)) === cond.slice(eq + 1);
}

/** The route for a request, or undefined (the server answers MethodNotAllowed / NotImplemented). */
export function matchRoute(req: RouteRequest, table: readonly Route[] = routes): Route | undefined {
  const method = req.method === 'HEAD' ? 'HEAD' : req.method;
  const subs = [...req.query.keys()].filter((k) => SUB_RESOURCES.has(k));
  for (const r of table) {
    if (r.method !== method || r.scope !== req.scope) continue;
    if (r.query && !r.query.every((q) => queryMatches(q, req.query))) continue;
    if (subs.some((name) => !declares(r, name))) continue;
    if (r.header && req.headers[r.header] === undefined) continue;
    if (r.contentType) {
      const ct = req.headers['content-type'];
      if (typeof ct !== 'string' || !ct.toLowerCase().startsWith(r.contentType)) continue;
    }
    return r;
  }
  return undefined;
}
