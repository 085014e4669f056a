/**
 * `strata serve` as one whole system: relay and workers in-process (the
 * workers on a job thread of their own), and a redis-server of its own when
 * none answers at the configured URL.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { eventCountsKey } from '../../shared/bus/channels.js';
import { redisAnswers } from '../../services/cli/redis-autostart.js';
import { waitUntil } from '../helpers/event-kit.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { freePort, spawnStrata, strataMain } from '../helpers/strata-process.js';
import { bucketName, startStrata } from '../helpers/strata.js';
import { WebhookReceiver } from './notifications-kit.js';

const ACCESS_KEY = 'SERVEROOTKEY';
const SECRET_KEY = 'serve-root-secret';

const client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });

describe('strata serve and its event pipeline', () => {
  it('in-process relay and workers count every event of concurrent PUTs once', async () => {
    const prefix = `test-serve-${randomUUID()}`;
    const t = await startStrata({ STRATA_REDIS_PREFIX: prefix }, { relay: true, workers: true });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const bucket = bucketName('serve');
      await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `k${i}`, Body: 'x' })),
        ),
      );
      await waitUntil(
        '40 counted',
        async () => (await redis.hget(eventCountsKey(prefix, bucket), 'ObjectCreated:Put')) === '40',
      );
      // One analytics job per relay pass: together they counted the 40 events, each once.
      const queues = t.node.events!.queues;
      const jobs = await waitUntil('jobs completed', async () => {
        const done = await queues.jobs('analytics', ['completed'], 0, 1000);
        const events = done.reduce((n, j) => n + (j.returnvalue as { events: number }).events, 0);
        return events === 40 ? done : undefined;
      });
      assert.ok(jobs.length <= 40);
      assert.equal(
        jobs.reduce((n, j) => n + (j.returnvalue as { counted: number }).counted, 0),
        40,
      );
      assert.equal((await queues.counts('analytics')).failed, 0);
    } finally {
      redis.disconnect();
      await t.close();
      await deleteRedisKeys(TEST_REDIS_URL, prefix);
    }
  });

  it('runs the jobs on its job thread: webhooks delivered, job metrics shown, drained on SIGTERM', async () => {
    const prefix = `test-serve-thread-${randomUUID()}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-serve-thread-'));
    const receiver = new WebhookReceiver();
    await receiver.start();
    // The second delivery is held until the server is told to stop: it must still complete.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const p = await spawnStrata({
      dataDir,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      env: {
        STRATA_REDIS_PREFIX: prefix,
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_hook: receiver.url('/hook'),
        STRATA_NOTIFY_WEBHOOK_SECRET_hook: 'serve-thread-secret',
      },
    });
    const s3 = client(p.endpoint);
    try {
      const bucket = bucketName('thread');
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: 'arn:strata:sqs::hook:webhook', Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'first', Body: 'x' }));
      await waitUntil('the first delivery', () => receiver.to('/hook').length === 1);
      const record = JSON.parse(receiver.to('/hook')[0]!.raw.toString()) as {
        Records: { s3: { object: { key: string } } }[];
      };
      assert.equal(record.Records[0]!.s3.object.key, 'first');
      const auth = `Basic ${Buffer.from(`${ACCESS_KEY}:${SECRET_KEY}`).toString('base64')}`;
      await waitUntil('job metrics of the thread', async () => {
        const text = await (
          await fetch(`${p.endpoint}/_strata/metrics`, { headers: { authorization: auth } })
        ).text();
        return /strata_job_duration_seconds_count\{queue="webhook",status="completed"\} 1$/m.test(text)
          ? text
          : undefined;
      });

      const slow = receiver.hold('/hook', held);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'second', Body: 'y' }));
      await slow;
      const exit = p.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      release();
      assert.equal((await exit).code, 0, p.output());
      assert.equal(receiver.to('/hook').length, 2, 'the held delivery finished before the exit');
    } finally {
      release();
      s3.destroy();
      await receiver.close();
      await p.kill('SIGKILL').catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await deleteRedisKeys(TEST_REDIS_URL, prefix);
    }
  });

  it('a job thread that dies is started again, and jobs run on it', async () => {
    const prefix = `test-serve-restart-${randomUUID()}`;
    const t = await startStrata({ STRATA_REDIS_PREFIX: prefix }, { relay: true, workers: 'thread' });
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const bucket = bucketName('restart');
      await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await t.node.jobThread!.crashForTest();
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after-crash', Body: 'x' }));
      await waitUntil(
        'the event counted by the restarted thread',
        async () => (await redis.hget(eventCountsKey(prefix, bucket), 'ObjectCreated:Put')) === '1',
        15_000,
      );
    } finally {
      redis.disconnect();
      await t.close();
      await deleteRedisKeys(TEST_REDIS_URL, prefix);
    }
  });

  it('starts a redis-server under the data dir when none answers, and stops it on exit', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-serve-redis-'));
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const p = await spawnStrata({
      dataDir,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      env: { STRATA_REDIS_URL: redisUrl },
    });
    const s3 = client(p.endpoint);
    try {
      assert.equal(await redisAnswers(redisUrl), true);
      assert.ok(fs.existsSync(path.join(dataDir, 'redis')), 'its files live under the data dir');
      const bucket = bucketName('serve');
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      const redis = new Redis(redisUrl);
      const keys = await waitUntil('the event counted', async () => {
        const k = await redis.keys(`*:event-counts:${bucket}`);
        return k.length > 0 ? k : undefined;
      });
      redis.disconnect();
      assert.equal(keys.length, 1);
    } finally {
      s3.destroy();
      const exit = await p.kill('SIGTERM');
      assert.equal(exit.code, 0, p.output());
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    assert.equal(await redisAnswers(redisUrl), false, 'its redis-server stopped with it');
  });

  it('without Redis and without redis-server, exits saying how to get Redis', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-serve-noredis-'));
    try {
      const child = spawn(process.execPath, [strataMain, 'serve'], {
        env: {
          PATH: '/nonexistent',
          STRATA_PORT: '0',
          STRATA_DATA_DIR: dataDir,
          STRATA_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      assert.equal(code, 1);
      assert.match(
        stderr,
        /no Redis answers at redis:\/\/127\.0\.0\.1:\d+ \(and redis-server is not installed\)/,
      );
      assert.match(stderr, /apt-get install redis-server/);
      assert.match(stderr, /STRATA_REDIS_URL/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
