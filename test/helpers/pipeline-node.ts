/**
 * An in-process Strata node with the event pipeline on (outbox relay and
 * every worker, as `strata serve` runs), under a Redis prefix of its own; and
 * a redis-server child a test can stop and start. For the observability tests.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisAnswers } from '../../services/cli/redis-autostart.js';
import { createStrataNode, type StrataNode } from '../../services/server/app.js';
import { loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/logger.js';
import { deleteRedisKeys } from './redis-keys.js';

export const ROOT_KEY = 'PIPELINEROOTKEY';
export const ROOT_SECRET = 'pipeline-root-secret';

/** The Redis the test suite shares (CI starts one on the default port). */
export const sharedRedisUrl = (): string => process.env['STRATA_REDIS_URL'] || 'redis://127.0.0.1:6379';

export interface PipelineNode {
  readonly node: StrataNode;
  readonly endpoint: string;
  readonly s3: S3Client;
  close(): Promise<void>;
}

export async function startPipelineNode(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<PipelineNode> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pipeline-'));
  const prefix = `obs-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    STRATA_PORT: '0',
    STRATA_HOST: '127.0.0.1',
    STRATA_DATA_DIR: dataDir,
    STRATA_ACCESS_KEY: ROOT_KEY,
    STRATA_SECRET_KEY: ROOT_SECRET,
    STRATA_REDIS_URL: redisUrl,
    STRATA_REDIS_PREFIX: prefix,
    ...env,
  });
  const node = await createStrataNode(config, silentLogger, { relay: true, workers: true });
  const port = await node.listen();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: ROOT_KEY, secretAccessKey: ROOT_SECRET },
  });
  return {
    node,
    endpoint,
    s3,
    async close() {
      s3.destroy();
      try {
        await node.close();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await deleteRedisKeys(redisUrl, prefix);
      }
    },
  };
}

export interface RedisChild {
  readonly url: string;
  stop(): Promise<void>;
}

/** A redis-server of the test's own on `port`, without files (--save "" --appendonly no). */
export async function startRedisChild(port: number): Promise<RedisChild> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url, stop };
}
