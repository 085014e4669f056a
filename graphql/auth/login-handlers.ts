/**
 * Browser sign-in for the GraphQL API (and the dashboard): POST /_strata/login
 * with the S3 keys (JSON or an HTML form) starts a server-side session and sets
 * its cookie; POST /_strata/logout ends it. GET /_strata/login shows the form.
 *
 *   JSON  {"accessKey","secretKey"} → 200 {"user","expiresAt"} | 401
 *   form  accessKey, secretKey, redirect → 303 to redirect | 401 with the form again
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { ObjectStore } from '../../services/store/types.js';
import { verifyCredentials } from './basic-credentials.js';
import { clearedSessionCookie, cookieValue, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { errorBody, isHttps, sendHtml, sendJson } from './http-replies.js';
import { loginPage } from './login-page.js';
import type { SessionStore } from './session-store.js';

const MAX_BODY_BYTES = 16 * 1024;
const DEFAULT_REDIRECT = '/_strata/graphql';

interface LoginForm {
  readonly form: boolean;
  readonly fields: Record<string, string>;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readLogin(req: IncomingMessage): Promise<LoginForm | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const form = type === 'application/x-www-form-urlencoded';
  if (!form && type !== 'application/json') return undefined;
  const text = await readBody(req);
  if (text === undefined) return undefined;
  if (form) return { form, fields: Object.fromEntries(new URLSearchParams(text)) };
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const fields: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') fields[k] = val;
    return { form, fields };
  } catch {
    return undefined;
  }
}

/** Only back into Strata's own pages: never an open redirect. */
function safeRedirect(target: string | undefined): string {
  return target !== undefined && /^\/_strata\/[A-Za-z0-9/_.-]*$/.test(target) && !target.includes('..')
    ? target
    : DEFAULT_REDIRECT;
}

export interface LoginHandlerOptions {
  readonly store: ObjectStore;
  readonly sessions: SessionStore;
  readonly ttlSeconds: number;
  readonly log: Logger;
}

export function createLoginHandlers(opts: LoginHandlerOptions) {
  const { store, sessions, log } = opts;

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') {
      sendHtml(
        res,
        200,
        loginPage({
          redirect: safeRedirect(
            new URL(req.url ?? '/', 'http://x').searchParams.get('redirect') ?? undefined,
          ),
        }),
      );
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, errorBody(errors.methodNotAllowed(req.method ?? '', 'LOGIN')), {
        allow: 'GET, POST',
      });
      return;
    }
    const body = await readLogin(req);
    if (!body) {
      req.resume();
      sendJson(
        res,
        400,
        errorBody(errors.invalidRequest('Send accessKey and secretKey as JSON or as a form.')),
      );
      return;
    }
    const { accessKey, secretKey, redirect } = body.fields;
    const user =
      accessKey !== undefined && secretKey !== undefined
        ? verifyCredentials(store, { accessKey, secretKey })
        : undefined;
    if (!user) {
      if (body.form)
        sendHtml(
          res,
          401,
          loginPage({ redirect: safeRedirect(redirect), error: 'Wrong access key or secret key.' }),
        );
      else sendJson(res, 401, errorBody(errors.accessDenied(), 401));
      return;
    }
    let created;
    try {
      created = await sessions.create(user);
    } catch (e) {
      log.warn('login: the session store is unavailable', { err: e });
      sendJson(
        res,
        503,
        errorBody(
          errors.make('ServiceUnavailable', 'Sessions cannot be created now; use Basic credentials.'),
        ),
      );
      return;
    }
    const cookie = sessionCookie(created.id, opts.ttlSeconds, isHttps(req));
    if (body.form) {
      res.writeHead(303, {
        location: safeRedirect(redirect),
        'set-cookie': cookie,
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    sendJson(
      res,
      200,
      {
        user: { id: user.id, displayName: user.displayName, accessKey: user.accessKey, isRoot: user.isRoot },
        expiresAt: created.session.expiresAt.toISOString(),
      },
      { 'set-cookie': cookie },
    );
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume();
    if (req.method !== 'POST') {
      sendJson(res, 405, errorBody(errors.methodNotAllowed(req.method ?? '', 'LOGOUT')), { allow: 'POST' });
      return;
    }
    const id = cookieValue(req, SESSION_COOKIE);
    if (id !== undefined && id !== '') {
      try {
        await sessions.destroy(id);
      } catch (e) {
        log.warn('logout: the session store is unavailable', { err: e });
        sendJson(
          res,
          503,
          errorBody(errors.make('ServiceUnavailable', 'Sessions cannot be ended now; try again.')),
        );
        return;
      }
    }
    const cleared = clearedSessionCookie(isHttps(req));
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (form) {
      res.writeHead(303, { location: '/_strata/login', 'set-cookie': cleared, 'content-length': '0' });
      res.end();
      return;
    }
    res.writeHead(204, { 'set-cookie': cleared, 'cache-control': 'no-store' });
    res.end();
  }

  return { login, logout };
}
