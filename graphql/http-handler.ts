/**
 * The /_strata/graphql HTTP handler: authenticates (Basic or session cookie),
 * refuses with 401 / the sign-in page, and hands the request to yoga with the
 * caller in the context, inside the request scope the store reads when it
 * records events (so events name the GraphQL caller as their principal).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../shared/errors.js';
import { clientAddress, runInRequest } from '../shared/request-context.js';
import { newRequestId } from '../services/s3/server.js';
import type { GraphqlRequestInfo, PublicEndpoint } from './context.js';
import { errorBody, isHttps, sendJson, sendUnauthenticated } from './auth/http-replies.js';
import type { RequestAuthenticator } from './auth/request-auth.js';
import { coalesceWrites, wantsEventStream } from './coalesced-writes.js';
import type { StrataYoga } from './yoga.js';

export const GRAPHQL_PATH = '/_strata/graphql';

/** GraphQL documents and variables are small; anything larger is refused before parsing. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export function publicEndpoint(req: IncomingMessage): PublicEndpoint {
  return { protocol: isHttps(req) ? 'https' : 'http', host: req.headers.host ?? '127.0.0.1' };
}

export function requestInfo(
  req: IncomingMessage,
  res: ServerResponse | undefined,
  user: GraphqlRequestInfo['user'],
): GraphqlRequestInfo {
  const sent = res?.getHeader('x-amz-request-id');
  return {
    user,
    origin: publicEndpoint(req),
    requestId: typeof sent === 'string' ? sent : newRequestId(),
    sourceIp: clientAddress(req.socket.remoteAddress),
  };
}

/** Answers an upgrade request that is not taken, and closes its socket. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  reason: string,
  headers: Record<string, string> = {},
): void {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'connection: close', 'content-length: 0'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n');
}

/** `yoga` is called for each authenticated request (graphql-api.ts loads yoga on the first). */
export function createGraphqlHttpHandler(
  yoga: () => Promise<StrataYoga>,
  authenticate: RequestAuthenticator,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const length = Number(req.headers['content-length'] ?? 0);
    // A chunked body has no length to check up front, so it is refused rather than read unbounded.
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      req.resume();
      sendJson(res, 411, errorBody(errors.make('MissingContentLength'), 411));
      return;
    }
    if (length > MAX_REQUEST_BYTES) {
      req.resume();
      sendJson(res, 413, errorBody(errors.make('MaxMessageLengthExceeded'), 413));
      return;
    }
    const auth = await authenticate(req);
    if (!('user' in auth)) {
      sendUnauthenticated(req, res, auth.failure);
      return;
    }
    const server = await yoga();
    const info = requestInfo(req, res, auth.user);
    if (wantsEventStream(req.headers.accept)) coalesceWrites(res);
    await runInRequest(
      { requestId: info.requestId, principalId: info.user.id, sourceIp: info.sourceIp, operation: 'GraphQL' },
      () => server.handle(req, res, info),
    );
  };
}
