/**
 * Assembles a running Strata node: store, authenticator, S3 server and the
 * /_strata/ endpoints. `strata serve` and the end-to-end tests both use this,
 * so tests exercise exactly what users run.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { createGraphqlApi, type GraphqlApi } from '../../graphql/graphql-api.js';
import { createNodeMetrics, observabilityEndpoints } from '../metrics/index.js';
import { createAuthenticator } from '../s3/auth/authenticate.js';
import { createS3Server, type InternalHandler } from '../s3/server.js';
import { ScanPool, type ScanPoolOptions } from '../select/parallel/scan-pool.js';
import { createStore } from '../store/index.js';
import type { ObjectStore, User } from '../store/types.js';
import { createEventPipeline, type EventPipeline } from './event-pipeline.js';
import { JobThread } from './job-thread.js';
import { resolveRootCredentials, type RootCredentials } from './root-credentials.js';

/** What runs besides the S3 API. Both default to off (tests); `strata serve` turns them on. */
export interface StrataNodeOptions {
  /** Move outbox events to the job bus and the events channel (needs Redis). */
  readonly relay?: boolean;
  /**
   * Run every job type's worker in this process (needs Redis): on the thread
   * that serves requests (true), or on a job thread of its own ('thread',
   * what `strata serve` does; job-thread.ts).
   */
  readonly workers?: boolean | 'thread';
  /** Piece sizes of the parallel Select scan (tests use small ones); threads come from config. */
  readonly selectScan?: Omit<ScanPoolOptions, 'threads'>;
}

export interface StrataNode {
  readonly store: ObjectStore;
  readonly root: User;
  readonly credentials: RootCredentials;
  /** The relay / workers / queues of this process; undefined when neither relay nor workers run. */
  readonly events: EventPipeline | undefined;
  /** The job thread, when the workers run on one (workers: 'thread'). */
  readonly jobThread: JobThread | undefined;
  /** /_strata/graphql and the sign-in endpoints. */
  readonly graphql: GraphqlApi;
  /** The HTTP server S3 and /_strata/ requests arrive on (listening once listen() resolves). */
  readonly httpServer: Server;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting requests, lets in-flight ones finish, closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function createStrataNode(
  config: Config,
  log: Logger,
  opts: StrataNodeOptions = {},
): Promise<StrataNode> {
  const store = createStore({ dataDir: config.dataDir, log, region: config.region });
  await store.ready();
  const events =
    opts.relay || opts.workers
      ? createEventPipeline(config, log, store, {
          relay: opts.relay === true,
          workers: opts.workers === true,
        })
      : undefined;
  let jobThread: JobThread | undefined;
  try {
    await events?.ready();
    if (opts.workers === 'thread') jobThread = await JobThread.start(config, log);
  } catch (e) {
    await events?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
  const credentials = resolveRootCredentials(config);
  const root = store.ensureRootUser(credentials.accessKey, credentials.secretKey);
  let ready = false;

  const metrics = createNodeMetrics({
    outboxStats: () => store.outboxStats(),
    queues: events && (() => events.queues.names().map((name) => events.queues.queue(name))),
  });
  for (const worker of events?.workers?.list() ?? jobThread?.workers ?? [])
    metrics.pipeline.observeWorker(worker);
  const internal = new Map<string, InternalHandler>([
    ...observabilityEndpoints({
      metrics,
      metricsConfig: config.metrics,
      findUser: (accessKey) => store.findUser(accessKey),
      health: {
        listening: () => ready,
        database: () => void store.findUser(root.accessKey),
        redis: events && (async () => void (await events.redis.ping())),
      },
      log,
    }),
  ]);
  const graphql = createGraphqlApi({ store, config, log, jobs: events?.queues });
  for (const [path, handler] of graphql.handlers) internal.set(path, handler);
  // STRATA_SELECT_THREADS=1: scans stay on the request's thread. Threads start on first use.
  const selectScanPool =
    config.selectThreads === 1
      ? undefined
      : new ScanPool({ threads: config.selectThreads, ...opts.selectScan });
  const server = createS3Server({
    store,
    config,
    log,
    ...(selectScanPool === undefined ? {} : { selectScanPool }),
    authenticate: createAuthenticator(store, config),
    internal,
    onRequestDone: metrics.s3.onRequestDone,
    onSelectScan: metrics.select.onScan,
  });
  graphql.attach(server);

  let closing: Promise<void> | undefined;
  return {
    store,
    root,
    credentials,
    events,
    jobThread,
    graphql,
    httpServer: server,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      ready = true;
      return (server.address() as AddressInfo).port;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        const errs: unknown[] = [];
        const serverClosed = new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Subscriptions (SSE, WebSocket) never end by themselves: end them so the server can close.
        await graphql.close().catch((e: unknown) => errs.push(e));
        server.closeIdleConnections();
        await serverClosed.catch((e: unknown) => errs.push(e));
        await selectScanPool?.close().catch((e: unknown) => errs.push(e));
        // Relay stops, workers drain, queues and Redis close; then the store they use.
        await events?.close().catch((e: unknown) => errs.push(e));
        await jobThread?.close().catch((e: unknown) => errs.push(e));
        await store.close().catch((e: unknown) => errs.push(e));
        if (errs.length) throw new AggregateError(errs, 'errors while closing Strata');
      })();
      return closing;
    },
  };
}
