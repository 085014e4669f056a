/**
 * The answers of the /_strata/ API endpoints when the caller is not let in,
 * and the request facts they depend on (is it a browser, is it HTTPS).
 * Non-browser clients get WWW-Authenticate: Basic (RFC 7617) so curl and
 * friends know what to send; browsers do not, since it would make them pop
 * up their own login dialog over the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type S3Error } from '../../shared/errors.js';
import { loginPage } from './login-page.js';

export const REALM = 'Basic realm="Strata", charset="UTF-8"';

/** A page load in a browser (Accept: text/html), which should see the sign-in page. */
export function isPageLoad(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

/** Browsers send Sec-Fetch-Site on every request (scripts cannot suppress it); other clients do not. */
export function isBrowser(req: IncomingMessage): boolean {
  return (
    isPageLoad(req) ||
    req.headers['sec-fetch-site'] !== undefined ||
    req.headers['x-requested-with'] !== undefined
  );
}

export function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  if (proto === 'https' || proto === 'http') return proto === 'https';
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

/** A GraphQL-shaped error body, so GraphQL clients show it like any other error. */
export function errorBody(err: S3Error, status = err.status) {
  return { errors: [{ message: err.message, extensions: { code: err.code, status } }] };
}

/** 401 for missing or wrong credentials, 503 when the session store cannot be reached. */
export function sendUnauthenticated(
  req: IncomingMessage,
  res: ServerResponse,
  failure: 'missing' | 'invalid' | 'unavailable',
): void {
  // A request still sending its body would otherwise get a reset instead of this answer.
  req.resume();
  if (failure === 'unavailable') {
    sendJson(
      res,
      503,
      errorBody(errors.make('ServiceUnavailable', 'Sessions cannot be checked now; use Basic credentials.')),
    );
    return;
  }
  if (isPageLoad(req)) {
    const path = (req.url ?? '/_strata/graphql').split('?')[0]!;
    sendHtml(
      res,
      401,
      loginPage({
        redirect: path,
        error: failure === 'invalid' ? 'Your session has ended; sign in again.' : undefined,
      }),
    );
    return;
  }
  sendJson(
    res,
    401,
    errorBody(errors.accessDenied(), 401),
    isBrowser(req) ? {} : { 'www-authenticate': REALM },
  );
}
