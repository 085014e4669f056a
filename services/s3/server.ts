/**
 * The S3 HTTP front: parses the target, authenticates, dispatches to one
 * handler through the route table and writes the response. Strata's own
 * endpoints live under /_strata/, which no bucket name can collide with.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { errors } from '../../shared/errors.js';
import { clientAddress, newRequestId, runInRequest } from '../../shared/request-context.js';
import { requireBucketAccess } from './access.js';
import type { Authenticator } from './auth/types.js';
import { corsResponseHeaders, handlePreflight } from './cors.js';
import { errorResponse, toS3Error } from './error-response.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { matchRoute, subResourceOf, type RouteScope } from './routes/index.js';
import { sendBody } from './send-body.js';
import type { S3Context, S3Response } from './types.js';

/** Handlers for /_strata/* paths (health, later GraphQL, metrics, dashboard). */
export type InternalHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface S3ServerOptions extends S3Context {
  readonly authenticate: Authenticator;
  readonly internal: ReadonlyMap<string, InternalHandler>;
  /**
   * Called once per request when its response closes (metrics): `op` is the
   * routed S3 operation, 'Unknown' when routing failed, undefined for /_strata/ paths.
   */
  readonly onRequestDone?: (
    op: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    startedAt: bigint,
  ) => void;
}

export { newRequestId };

function scopeOf(t: RequestTarget): RouteScope {
  return t.bucket === undefined ? 'service' : t.key === undefined ? 'bucket' : 'object';
}

/** Methods whose requests may change state (POST: also S3 Select, which changes none and waits for nothing). */
const MUTATING_METHODS: ReadonlySet<string> = new Set(['PUT', 'POST', 'DELETE']);

async function writeResponse(
  res: ServerResponse,
  out: S3Response,
  isHead: boolean,
  recycle?: (chunk: Buffer) => void,
): Promise<void> {
  res.statusCode = out.status ?? 200;
  for (const [k, v] of Object.entries(out.headers ?? {})) {
    if (v !== undefined) res.setHeader(k, typeof v === 'number' ? String(v) : (v as string | string[]));
  }
  const body = out.body;
  if (body === undefined || isHead) {
    if (body instanceof Readable) body.destroy();
    if (!res.hasHeader('content-length') && res.statusCode !== 304 && res.statusCode !== 204) {
      res.setHeader('content-length', '0');
    }
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  await sendBody(body, res, recycle);
}

export function createS3Server(opts: S3ServerOptions): http.Server {
  const { config, log } = opts;
  const recycle = (chunk: Buffer): void => opts.store.recycle(chunk);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const startedAt = process.hrtime.bigint();
    let op: string | undefined;
    if (opts.onRequestDone) res.once('close', () => opts.onRequestDone!(op, req, res, startedAt));
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'Strata');
    const url = req.url ?? '/';
    if (url.startsWith('/_strata/') || url === '/_strata') {
      const path = url.split('?')[0]!;
      const internal = opts.internal.get(path);
      if (internal) return internal(req, res);
      res.statusCode = 404;
      res.end();
      return;
    }
    op = 'Unknown';
    const isHead = req.method === 'HEAD';
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let target: RequestTarget | undefined;
    let cors: Record<string, string> = {};
    try {
      target = parseRequestTarget(url, req.headers.host, config.domains);
      if (req.method === 'OPTIONS') {
        return await writeResponse(res, handlePreflight(target, req.headers, opts.store), false);
      }
      if (req.headers.origin !== undefined && target.bucket !== undefined) {
        cors = corsResponseHeaders(target.bucket, req.headers, req.method ?? 'GET', opts.store);
      }
      const scope = scopeOf(target);
      const route = matchRoute({
        method: req.method ?? 'GET',
        scope,
        query: target.query,
        headers: req.headers,
      });
      if (!route) {
        const sub = subResourceOf(target.query);
        if (sub !== undefined) throw errors.notImplemented(`The ?${sub} sub-resource`);
        throw errors.methodNotAllowed(req.method ?? '', scope === 'object' ? 'OBJECT' : scope.toUpperCase());
      }
      op = route.op;
      const auth = await opts.authenticate(req, target, {
        anonymousAllowed: route.selfAuthenticated === true,
      });
      const bucketInfo =
        target.bucket === undefined || route.op === 'CreateBucket' || route.selfAuthenticated
          ? undefined
          : requireBucketAccess(opts.store, target.bucket, auth.user);
      // The request's origin travels with the handler's async work, down to the store's events.
      const t = target;
      const origin = {
        requestId,
        principalId: auth.user.id,
        sourceIp: clientAddress(req.socket.remoteAddress),
        operation: route.op,
      };
      const out = await runInRequest(origin, () =>
        route.handler(
          {
            method: req.method ?? 'GET',
            bucket: t.bucket,
            key: t.key,
            query: t.query,
            headers: req.headers,
            user: auth.user,
            bucketInfo,
            body: auth.body,
            contentLength: auth.contentLength,
            trailers: auth.trailers,
            requestId,
            signal: abort.signal,
            raw: req,
          },
          opts,
        ),
      );
      // Group commit: the change this request made is acknowledged once it is on disk.
      if (MUTATING_METHODS.has(req.method ?? '')) await opts.store.durable();
      await writeResponse(res, { ...out, headers: { ...cors, ...out.headers } }, isHead, recycle);
    } catch (e) {
      const err = toS3Error(e);
      if (err.status >= 500)
        log.error('request failed', { requestId, method: req.method, url, err: err.cause ?? err });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const resource = target?.rawPath ?? url.split('?')[0]!;
      // Drain what the client is still sending so it can read our error instead of a reset.
      // unpipe first: a verifying body stream may still hold the request paused.
      if (!req.readableEnded) {
        req.unpipe();
        req.resume();
      }
      await writeResponse(res, withCors(errorResponse(err, resource, requestId, isHead), cors), isHead);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error('response failed', { err: e });
      res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  return server;
}

function withCors(out: S3Response, cors: Record<string, string>): S3Response {
  return { ...out, headers: { ...cors, ...out.headers } };
}
