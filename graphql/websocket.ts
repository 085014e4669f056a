/**
 * GraphQL over WebSocket (the graphql-ws protocol) at /_strata/graphql on the
 * same http.Server: graphql-api.ts hands the 'upgrade' requests for that path
 * to a ws server without a port of its own. Operations run through yoga's envelop, so the
 * schema, context and error masking are the HTTP ones.
 * https://the-guild.dev/graphql/yoga-server/docs/features/subscriptions#graphql-over-websocket-protocol-via-graphql-ws
 *
 * Authentication: the upgrade request's Authorization header or session
 * cookie, or, for clients that cannot set headers, connection_init's payload
 * ({ authorization: "Basic …" } or { accessKey, secretKey }). Without any,
 * the connection is closed with 4403 Forbidden.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { errors as s3Errors } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { runInRequest } from '../shared/request-context.js';
import type { User } from '../services/store/types.js';
import type { RequestAuthenticator } from './auth/request-auth.js';
import { s3GraphQLError } from './errors.js';
import { requestInfo, refuseUpgrade } from './http-handler.js';
import type { StrataYoga } from './yoga.js';

const MAX_MESSAGE_BYTES = 1024 * 1024;

interface EnvelopedRoot {
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

export interface GraphqlWebSocket {
  /** Takes an upgrade request for the GraphQL path: authenticates it and hands it to the ws server. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createGraphqlWebSocket(opts: {
  yoga: StrataYoga;
  authenticate: RequestAuthenticator;
  log: Logger;
}): GraphqlWebSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const users = new WeakMap<http.IncomingMessage, User>();

  const handleUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    opts.authenticate(req).then(
      (auth) => {
        if ('user' in auth) users.set(req, auth.user);
        else if (auth.failure === 'invalid') return refuseUpgrade(socket, 401, 'Unauthorized');
        else if (auth.failure === 'unavailable') return refuseUpgrade(socket, 503, 'Service Unavailable');
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      (e: unknown) => {
        opts.log.error('graphql websocket: authentication failed', { err: e });
        refuseUpgrade(socket, 500, 'Internal Server Error');
      },
    );
  };

  const disposable = useServer(
    {
      onConnect: (ctx) => {
        if (users.has(ctx.extra.request)) return true;
        const auth = opts.authenticate.fromConnectionParams(ctx.connectionParams);
        if (!('user' in auth)) return false;
        users.set(ctx.extra.request, auth.user);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const user = users.get(ctx.extra.request);
        // onConnect admits no connection without a user; kept as a guard.
        if (!user) return [s3GraphQLError(s3Errors.accessDenied())];
        const info = requestInfo(ctx.extra.request, undefined, user);
        const { schema, execute, subscribe, contextFactory, parse, validate } = opts.yoga.getEnveloped({
          ...info,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const scope = {
          requestId: info.requestId,
          principalId: user.id,
          sourceIp: info.sourceIp,
          operation: 'GraphQL',
        };
        const root: EnvelopedRoot = {
          execute: (args) => runInRequest(scope, () => execute(args)),
          subscribe: (args) => runInRequest(scope, () => subscribe(args)),
        };
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: root,
        };
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    },
    wss,
  );

  let closing: Promise<void> | undefined;
  return {
    handleUpgrade,
    close() {
      closing ??= (async () => {
        // Going Away: clients reconnect elsewhere.
        for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
        await disposable.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        for (const ws of wss.clients) ws.terminate();
      })();
      return closing;
    },
  };
}
