/**
 * Assembles the GraphQL API of one gateway process: yoga at /_strata/graphql
 * (HTTP, GraphiQL, SSE), the WebSocket endpoint on the same server, the
 * sign-in endpoints, the Redis event hub behind subscriptions and the job
 * bus reader. Everything it opens, close() closes, each step even if another
 * fails.
 *
 * yoga, graphql-js and the WebSocket server are loaded with the first
 * request to the GraphQL path (HTTP or upgrade), not at start: they are
 * about 21 MB of a server's RSS (idle `strata serve`: 148 MB with them,
 * 127 MB without), which a node that only serves S3 never needs.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { eventsChannel } from '../shared/bus/channels.js';
import { closeRedis, createRedis, redisReady } from '../shared/bus/redis.js';
import type { Config } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { InternalHandler } from '../services/s3/server.js';
import type { ObjectStore } from '../services/store/types.js';
import { createLoginHandlers } from './auth/login-handlers.js';
import { createRequestAuthenticator } from './auth/request-auth.js';
import { createRedisSessionStore } from './auth/session-store.js';
import type { GraphqlServices } from './context.js';
import { createEventHub, type EventHub } from './events/event-hub.js';
import { createGraphqlHttpHandler, GRAPHQL_PATH, refuseUpgrade } from './http-handler.js';
import { createBullmqJobsSource, type BullmqQueues } from './jobs/bullmq-jobs-source.js';
import type { JobsSource } from './jobs/jobs-source.js';
import type { GraphqlWebSocket } from './websocket.js';
import type { StrataYoga } from './yoga.js';

/** How long a browser session lasts (fixed, not extended by use). */
export const SESSION_TTL_SECONDS = 12 * 3600;
/** How long a login or cookie check waits for Redis before answering 503. */
const REDIS_WAIT_MS = 2000;

export interface GraphqlApiOptions {
  readonly store: ObjectStore;
  readonly config: Config;
  readonly log: Logger;
  /** The job bus's queues (the event pipeline's JobQueues); omit when this process has none. */
  readonly jobs?: BullmqQueues;
}

export interface GraphqlApi {
  /** /_strata/ paths and their handlers, for the S3 server's internal map. */
  readonly handlers: ReadonlyMap<string, InternalHandler>;
  /** The event hub (subscriptions' source), exposed for tests and metrics. */
  readonly events: EventHub;
  /** Serves GraphQL over WebSocket on this server's upgrade requests. */
  attach(server: http.Server): void;
  /** Whether yoga has been loaded (by a first request to the GraphQL path). */
  readonly loaded: boolean;
  /** Ends subscriptions and WebSocket connections, closes Redis connections (the hub closes its own). Idempotent. */
  close(): Promise<void>;
}

export function createGraphqlApi(opts: GraphqlApiOptions): GraphqlApi {
  const { store, config, log } = opts;
  // Connections are made on first use (a login, a subscription): a node nobody uses GraphQL on stays off Redis.
  let commands: Redis | undefined;
  // A 'producer' connection fails commands at once while disconnected, so wait (briefly) until it is ready.
  const commandConnection = async (): Promise<Redis> => {
    commands ??= createRedis(config.redisUrl, 'producer', { log, name: 'strata-graphql' });
    await redisReady(commands, REDIS_WAIT_MS);
    return commands;
  };
  const events = createEventHub({
    channel: eventsChannel(config.redisPrefix),
    connect: () => createRedis(config.redisUrl, 'subscriber', { log, name: 'strata-graphql-events' }),
    log,
  });
  const jobs: JobsSource | undefined = opts.jobs && createBullmqJobsSource(opts.jobs);
  const sessions = createRedisSessionStore({
    redis: commandConnection,
    keyPrefix: `${config.redisPrefix}:graphql-session:`,
    ttlSeconds: SESSION_TTL_SECONDS,
  });
  const authenticate = createRequestAuthenticator(store, sessions);
  const services: GraphqlServices = { store, config, log, events, jobs };
  const { login, logout } = createLoginHandlers({ store, sessions, ttlSeconds: SESSION_TTL_SECONDS, log });
  let runtime: Promise<{ yoga: StrataYoga; socket: GraphqlWebSocket }> | undefined;
  let loaded = false;
  const load = () =>
    (runtime ??= (async () => {
      const [{ createStrataYoga }, { createGraphqlWebSocket }] = await Promise.all([
        import('./yoga.js'),
        import('./websocket.js'),
      ]);
      const yoga = createStrataYoga(services);
      loaded = true;
      return { yoga, socket: createGraphqlWebSocket({ yoga, authenticate, log }) };
    })());
  const detach: (() => void)[] = [];

  let closing: Promise<void> | undefined;
  return {
    handlers: new Map<string, InternalHandler>([
      [GRAPHQL_PATH, createGraphqlHttpHandler(async () => (await load()).yoga, authenticate)],
      ['/_strata/login', login],
      ['/_strata/logout', logout],
    ]),
    events,
    get loaded() {
      return loaded;
    },
    attach(server) {
      const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        if ((req.url ?? '').split('?')[0] !== GRAPHQL_PATH) {
          // Nobody else takes upgrades on this server: do not leave the socket hanging.
          if (server.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, 'Not Found');
          return;
        }
        load().then(
          (r) => r.socket.handleUpgrade(req, socket, head),
          (e: unknown) => {
            log.error('graphql: cannot load the GraphQL server', { err: e });
            refuseUpgrade(socket, 500, 'Internal Server Error');
          },
        );
      };
      server.on('upgrade', onUpgrade);
      detach.push(() => server.off('upgrade', onUpgrade));
    },
    close() {
      closing ??= (async () => {
        const errs: unknown[] = [];
        const step = async (fn: () => Promise<unknown>) => {
          try {
            await fn();
          } catch (e) {
            errs.push(e);
          }
        };
        // Subscriptions end first, so SSE responses finish and their connections can close.
        for (const d of detach) d();
        await step(() => events.close());
        if (runtime) await step(async () => (await runtime!).socket.close());
        if (jobs) await step(() => jobs.close());
        if (commands) await step(() => closeRedis(commands!));
        if (errs.length) throw new AggregateError(errs, 'errors while closing the GraphQL API');
      })();
      return closing;
    },
  };
}
