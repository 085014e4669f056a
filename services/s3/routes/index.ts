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
].sort(
  (a, b) => specificity(b) - specificity(a),
);

function specificity(r: Route): number {
  return (r.query?.length ?? 0) * 2 + (r.header ? 2 : 0) + (r.contentType ? 1 : 0);
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
  for (const r of table) {
    if (r.method !== method || r.scope !== req.scope) continue;
    if (r.query && !r.query.every((q) => queryMatches(q, req.query))) continue;
    if (r.header && req.headers[r.header] === undefined) continue;
    if (r.contentType) {
      const ct = req.headers['content-type'];
      if (typeof ct !== 'string' || !ct.toLowerCase().startsWith(r.contentType)) continue;
    }
    return r;
  }
  return undefined;
}
