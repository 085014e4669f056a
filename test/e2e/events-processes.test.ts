/**
 * The scale-out shape: `strata serve --no-workers` relays events to the
 * queues, `strata worker` processes run the jobs. And a worker killed
 * mid-job: its jobs are handed to another worker (BullMQ's stalled-job check)
 * and complete, each counted once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { eventCountsKey } from '../../shared/bus/channels.js';
import { waitUntil } from '../helpers/event-kit.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import {
  spawnStrata,
  spawnStrataWorker,
  type StrataProcess,
  type WorkerProcess,
} from '../helpers/strata-process.js';
import { bucketName } from '../helpers/strata.js';

const ACCESS_KEY = 'PROCROOTKEY';
const SECRET_KEY = 'proc-root-secret';

describe('serve --no-workers + strata worker processes', () => {
  const prefix = `test-procs-${randomUUID()}`;
  const env = { STRATA_REDIS_URL: TEST_REDIS_URL, STRATA_REDIS_PREFIX: prefix, STRATA_JOB_LOCK_MS: '1000' };
  let dataDir: string;
  let gateway: StrataProcess;
  let s3: S3Client;
  let redis: Redis;
  let analytics: Queue;
  const workers: WorkerProcess[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-procs-'));
    gateway = await spawnStrata({
      dataDir,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      env,
      args: ['--no-workers'],
    });
    s3 = new S3Client({
      endpoint: gateway.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
    redis = new Redis(TEST_REDIS_URL);
    analytics = new Queue('analytics', { connection: redis, prefix });
  });
  after(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    s3?.destroy();
    await gateway?.kill('SIGTERM');
    await analytics?.close();
    redis?.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const putMany = async (bucket: string, n: number) => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (let i = 0; i < n; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, (_, j) =>
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: `k${i + j}`, Body: 'x' })),
        ),
      );
    }
  };
  const putCount = async (bucket: string) =>
    Number((await redis.hget(eventCountsKey(prefix, bucket), 'ObjectCreated:Put')) ?? 0);
  const worker = async (queues?: string[]) => {
    const w = await spawnStrataWorker({ dataDir, env, queues });
    workers.push(w);
    return w;
  };

  it('the gateway only relays; a worker process runs the jobs', async () => {
    const bucket = bucketName('procs');
    await putMany(bucket, 20);
    await waitUntil('20 jobs waiting', async () => (await analytics.getWaitingCount()) >= 20);
    assert.equal(await analytics.getCompletedCount(), 0, 'no worker in the gateway');
    const w = await worker(['analytics']);
    await waitUntil('20 counted', async () => (await putCount(bucket)) === 20);
    assert.equal(await analytics.getWaitingCount(), 0);
    const exit = await w.kill('SIGTERM');
    assert.equal(exit.code, 0, w.output());
    workers.splice(workers.indexOf(w), 1);
  });

  it('a worker killed mid-job: another worker retries its jobs and each completes once', async () => {
    const bucket = bucketName('procs');
    const n = 400;
    await putMany(bucket, n);
    await waitUntil(`${n} jobs waiting`, async () => (await analytics.getWaitingCount()) >= n);
    const completedBefore = await analytics.getCompletedCount();
    const doomed = await worker();
    await waitUntil('jobs in progress', async () => (await analytics.getActiveCount()) > 0, 10_000);
    await doomed.kill('SIGKILL');
    workers.splice(workers.indexOf(doomed), 1);
    const orphaned = await analytics.getActiveCount();
    assert.ok(orphaned > 0, 'jobs were active when the worker died');
    assert.ok((await putCount(bucket)) < n, 'the killed worker had not finished');

    await worker();
    await waitUntil(`all ${n} counted`, async () => (await putCount(bucket)) >= n, 20_000);
    await waitUntil(
      'no job left',
      async () => (await analytics.getActiveCount()) + (await analytics.getWaitingCount()) === 0,
    );
    assert.equal(await putCount(bucket), n, 'each event counted once');
    assert.equal(await analytics.getCompletedCount(), completedBefore + n);
    assert.equal(await analytics.getFailedCount(), 0);
  });
});
