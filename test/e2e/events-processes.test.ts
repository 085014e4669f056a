/**
 * The scale-out shape: `strata serve --no-workers` relays events to the
 * queues, `strata worker` processes run the jobs. And a worker killed
 * mid-job: its jobs are handed to another worker (BullMQ's stalled-job check)
 * and complete, each once, and each of their deliveries is made once. The
 * killed worker's jobs are webhook batches whose receiver holds every request
 * unanswered until then, so they are surely active when it dies (analytics
 * jobs, one per relay batch, finish too fast to be caught).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
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
import type { EventCountsPayload } from '../../workers/event-counts.js';
import type { WebhookBatchPayload } from '../../services/notify/notify-consumer.js';
import type { WebhookBatchResult } from '../../services/notify/webhook-batch.js';

/** A webhook receiver that leaves requests unanswered while `holding`, and records the answered ones' event ids. */
class HoldingReceiver {
  holding = true;
  readonly held: http.ServerResponse[] = [];
  readonly delivered: string[] = [];
  private readonly server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (this.holding) return void this.held.push(res);
      this.delivered.push(String(req.headers['x-strata-event-id']));
      res.writeHead(200).end();
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  release(): void {
    this.holding = false;
    for (const res of this.held.splice(0)) res.destroy();
  }
  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const ACCESS_KEY = 'PROCROOTKEY';
const SECRET_KEY = 'proc-root-secret';

describe('serve --no-workers + strata worker processes', () => {
  const prefix = `test-procs-${randomUUID()}`;
  const receiver = new HoldingReceiver();
  let env: Record<string, string>;
  let dataDir: string;
  let gateway: StrataProcess;
  let s3: S3Client;
  let redis: Redis;
  let analytics: Queue;
  let webhook: Queue;
  const workers: WorkerProcess[] = [];

  before(async () => {
    env = {
      STRATA_REDIS_URL: TEST_REDIS_URL,
      STRATA_REDIS_PREFIX: prefix,
      // Long enough that a live worker's lock renewal (every half of it) is never late on a
      // loaded CI machine: with 1000 ms, a renewal delayed past it once let the stalled-job
      // check hand a running batch to the other worker too, and 4 events came twice.
      STRATA_JOB_LOCK_MS: '3000',
      STRATA_NOTIFY_WEBHOOK_ENDPOINT_hold: await receiver.start(),
      STRATA_NOTIFY_WEBHOOK_TIMEOUT_MS: '60000',
    };
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
    webhook = new Queue('webhook', { connection: redis, prefix });
  });
  after(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    s3?.destroy();
    await gateway?.kill('SIGTERM');
    await analytics?.close();
    await webhook?.close();
    await receiver.close();
    redis?.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const putMany = async (bucket: string, n: number) => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putObjects(bucket, n);
  };
  const putObjects = async (bucket: string, n: number) => {
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
  /** Events of `bucket` carried by waiting analytics jobs (one job per relay batch). */
  const waitingEvents = async (bucket: string) =>
    (await analytics.getJobs(['waiting'], 0, -1))
      .flatMap((j) => (j.data as EventCountsPayload).counts)
      .filter((g) => g.bucket === bucket)
      .reduce((n, g) => n + g.eventIds.length, 0);
  /** Deliveries carried by waiting webhook jobs (one job per relay batch and target). */
  const waitingDeliveries = async () =>
    (await webhook.getJobs(['waiting'], 0, -1)).reduce(
      (n, j) => n + (j.data as WebhookBatchPayload).deliveries.length,
      0,
    );
  const worker = async (queues?: string[]) => {
    const w = await spawnStrataWorker({ dataDir, env, queues });
    workers.push(w);
    return w;
  };

  it('the gateway only relays; a worker process runs the jobs', async () => {
    const bucket = bucketName('procs');
    await putMany(bucket, 20);
    await waitUntil('20 events waiting', async () => (await waitingEvents(bucket)) >= 20);
    assert.equal(await analytics.getCompletedCount(), 0, 'no worker in the gateway');
    const w = await worker(['analytics']);
    await waitUntil('20 counted', async () => (await putCount(bucket)) === 20);
    assert.equal(await analytics.getWaitingCount(), 0);
    assert.equal(await waitingEvents(bucket), 0);
    const exit = await w.kill('SIGTERM');
    assert.equal(exit.code, 0, w.output());
    workers.splice(workers.indexOf(w), 1);
  });

  it('a worker killed mid-job: another worker retries its jobs and each completes once', async () => {
    const bucket = bucketName('procs');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            { Id: 'hold', QueueArn: 'arn:strata:sqs::hold:webhook', Events: ['s3:ObjectCreated:*'] },
          ],
        },
      }),
    );
    const n = 40;
    await putObjects(bucket, n);
    await waitUntil(`${n} deliveries waiting`, async () => (await waitingDeliveries()) >= n);
    const doomed = await worker(['webhook']);
    await waitUntil('deliveries in progress', () => receiver.held.length > 0, 10_000);
    await doomed.kill('SIGKILL');
    workers.splice(workers.indexOf(doomed), 1);
    const orphaned = await webhook.getActiveCount();
    assert.ok(orphaned > 0, 'jobs were active when the worker died');
    assert.equal(receiver.delivered.length, 0, 'the killed worker had delivered nothing');

    receiver.release();
    await worker();
    await waitUntil(`all ${n} delivered`, () => receiver.delivered.length >= n, 20_000);
    await waitUntil(
      'no job left',
      async () => (await webhook.getActiveCount()) + (await webhook.getWaitingCount()) === 0,
    );
    assert.equal(receiver.delivered.length, n, 'each event delivered once');
    assert.equal(new Set(receiver.delivered).size, n);
    const completed = await webhook.getCompleted(0, -1);
    assert.equal(
      completed.reduce((k, j) => k + (j.returnvalue as WebhookBatchResult).delivered, 0),
      n,
      'the batch jobs report each delivery once',
    );
    assert.equal(await webhook.getFailedCount(), 0);
    await waitUntil(`all ${n} counted`, async () => (await putCount(bucket)) === n);
  });
});
