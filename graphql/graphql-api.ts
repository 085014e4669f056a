/**
 * Assembles the GraphQL API of one gateway process: yoga at /_strata/graphql
 * (HTTP, GraphiQL, SSE), the WebSocket endpoint on the same server, the
 * sign-in endpoints, the Redis event hub behind subscriptions and the job
 * bus reader. Everything it opens, close() closes, each step even if another
 * fails.
 */
import type http from 'node:http';
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
import { createGraphqlHttpHandler } from './http-handler.js';
import { createBullmqJobsSource, type BullmqQueues } from './jobs/bullmq-jobs-source.js';
import type { JobsSource } from './jobs/jobs-source.js';
import { attachGraphqlWebSocket, type GraphqlWebSocket } from './websocket.js';
import { createStrataYoga, GRAPHQL_PATH } from './yoga.js';

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
  const yoga = createStrataYoga(services);
  const { login, logout } = createLoginHandlers({ store, sessions, ttlSeconds: SESSION_TTL_SECONDS, log });
  const sockets: GraphqlWebSocket[] = [];

  let closing: Promise<void> | undefined;
  return {
    handlers: new Map<string, InternalHandler>([
      [GRAPHQL_PATH, createGraphqlHttpHandler(yoga, authenticate)],
      ['/_strata/login', login],
      ['/_strata/logout', logout],
    ]),
    events,
    attach(server) {
      sockets.push(attachGraphqlWebSocket(server, { yoga, authenticate, path: GRAPHQL_PATH, log }));
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
        await step(() => events.close());
        for (const s of sockets) await step(() => s.close());
        if (jobs) await step(() => jobs.close());
        if (commands) await step(() => closeRedis(commands!));
        if (errs.length) throw new AggregateError(errs, 'errors while closing the GraphQL API');
      })();
      return closing;
    },
  };
}
