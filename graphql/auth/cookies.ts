/**
 * The session cookie: HttpOnly (scripts cannot read it), SameSite=Strict (no
 * other site's page can make the browser send it), Secure over HTTPS, scoped
 * to /_strata.
 * https://httpwg.org/specs/rfc6265.html
 */
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'strata_session';
const COOKIE_PATH = '/_strata';

/** The value of one cookie of the request's Cookie header(s). */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${id}`,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
