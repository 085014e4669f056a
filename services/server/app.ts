/**
 * Assembles a running Strata node: store, authenticator, S3 server and the
 * /_strata/ endpoints. `strata serve` and the end-to-end tests both use this,
 * so tests exercise exactly what users run.
 */
import type { AddressInfo } from 'node:net';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';
import { createAuthenticator } from '../s3/auth/authenticate.js';
import { createS3Server, type InternalHandler } from '../s3/server.js';
import { createStore } from '../store/index.js';
import type { ObjectStore, User } from '../store/types.js';
import { resolveRootCredentials, type RootCredentials } from './root-credentials.js';

export interface StrataNode {
  readonly store: ObjectStore;
  readonly root: User;
  readonly credentials: RootCredentials;
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting requests, lets in-flight ones finish, closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function createStrataNode(config: Config, log: Logger): Promise<StrataNode> {
  const store = createStore({ dataDir: config.dataDir, log });
  await store.ready();
  const credentials = resolveRootCredentials(config);
  const root = store.ensureRootUser(credentials.accessKey, credentials.secretKey);
  let ready = false;

  const internal = new Map<string, InternalHandler>([
    [
      '/_strata/health',
      (_req, res) => {
        res.statusCode = ready ? 200 : 503;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
      },
    ],
  ]);
  const server = createS3Server({
    store,
    config,
    log,
    authenticate: createAuthenticator(store, config),
    internal,
  });

  let closing: Promise<void> | undefined;
  return {
    store,
    root,
    credentials,
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
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }).catch((e: unknown) => errs.push(e));
        await store.close().catch((e: unknown) => errs.push(e));
        if (errs.length) throw new AggregateError(errs, 'errors while closing Strata');
      })();
      return closing;
    },
  };
}
