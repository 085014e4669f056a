/**
 * Starts a real Strata node on a free port with a temporary data dir, and a
 * real S3Client pointed at it. Used by the end-to-end tests.
 *
 * The event relay and job workers are off unless asked for
 * (`startStrata(env, { relay: true, workers: true })`), so tests that do not
 * need the pipeline never touch Redis. With the pipeline on and no
 * STRATA_REDIS_PREFIX given, the node gets a unique prefix, whose keys are
 * deleted on close.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/logger.js';
import { deleteRedisKeys } from './redis-keys.js';
import { createStrataNode, type StrataNode, type StrataNodeOptions } from '../../services/server/app.js';

export interface TestStrata {
  readonly node: StrataNode;
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** S3Client for the root user. */
  readonly s3: S3Client;
  client(accessKey: string, secretKey: string, opts?: { forcePathStyle?: boolean }): S3Client;
  close(): Promise<void>;
}

export async function startStrata(
  env: Record<string, string> = {},
  opts: StrataNodeOptions = {},
): Promise<TestStrata> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-test-'));
  const pipeline = opts.relay === true || opts.workers === true;
  const ownPrefix = pipeline && env['STRATA_REDIS_PREFIX'] === undefined ? `test-${randomUUID()}` : undefined;
  const config = loadConfig({
    STRATA_PORT: '0',
    STRATA_HOST: '127.0.0.1',
    STRATA_DATA_DIR: dataDir,
    STRATA_ACCESS_KEY: 'TESTROOTACCESSKEY',
    STRATA_SECRET_KEY: 'test-root-secret-key',
    ...(ownPrefix === undefined ? {} : { STRATA_REDIS_PREFIX: ownPrefix }),
    ...env,
  });
  const node = await createStrataNode(config, silentLogger, opts);
  const port = await node.listen();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  const client = (accessKey: string, secretKey: string, opts: { forcePathStyle?: boolean } = {}) => {
    const c = new S3Client({
      endpoint: opts.forcePathStyle === false ? `http://localhost:${port}` : endpoint,
      region: config.region,
      forcePathStyle: opts.forcePathStyle ?? true,
      credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    });
    clients.push(c);
    return c;
  };
  const s3 = client(node.credentials.accessKey, node.credentials.secretKey);
  return {
    node,
    endpoint,
    port,
    dataDir,
    accessKey: node.credentials.accessKey,
    secretKey: node.credentials.secretKey,
    s3,
    client,
    async close() {
      for (const c of clients) c.destroy();
      await node.close();
      if (ownPrefix !== undefined) await deleteRedisKeys(config.redisUrl, ownPrefix);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bucket name unique to this test run. */
export function bucketName(prefix = 'bkt'): string {
  return `${prefix}-${randomUUID().slice(0, 18)}`;
}
