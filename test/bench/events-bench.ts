/**
 * `npm run bench:events`: what the event pipeline delivers and what it costs.
 *
 * Starts two `strata serve` child processes (workers in-process, each with its
 * own STRATA_REDIS_PREFIX on the configured Redis):
 *   - "events on": a bucket with a notification configuration that sends every
 *     s3:ObjectCreated:* event to a webhook target (a receiver in this process,
 *     signature checked), and a GraphQL subscription over SSE to the bucket;
 *   - "no consumers": the same command and build with no notification
 *     configuration, no webhook target and no subscriber. Its outbox is still
 *     written in each PUT's transaction and relayed (that part is always on);
 *     what differs is everything that consumes events.
 * Then prints:
 *   1. PUT acknowledged → subscription delivered, and → webhook received,
 *      p50 / p99, at BENCH_EVENTS_RATE PUT/s (default 200) for
 *      BENCH_EVENTS_SECONDS (default 10);
 *   2. sustained events/s through outbox and bus: BENCH_EVENTS_BURST PUTs
 *      (default 5000) as fast as 32 clients go, and how fast they arrive;
 *   3. PUT throughput (4 KiB, 16 clients) on both servers in alternating
 *      rounds (BENCH_EVENTS_TP_ROUNDS, default 3, of BENCH_EVENTS_TP_SECONDS,
 *      default 5), and the ratio.
 * Everything runs on this machine: the bench process's own CPU use (signing
 * PUTs, receiving webhooks and SSE) competes with the servers.
 */
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { spawnStrata, type StrataProcess } from '../helpers/strata-process.js';
import {
  burstPhase,
  latencyPhase,
  sampleMetrics,
  warmUp,
  type EventsTarget,
  type Sink,
} from './events-phases.js';
import { throughputPhase } from './events-throughput.js';
import { SseSubscription, WebhookReceiver } from './events-sinks.js';
import { BenchClient } from './sigv4-client.js';

const ACCESS_KEY = 'BENCHACCESSKEY';
const SECRET_KEY = 'bench-secret-key';
const REGION = 'us-east-1';
const BUCKET = 'bench-events';
const WEBHOOK_ID = 'BENCH';
const WEBHOOK_SECRET = randomBytes(16).toString('hex');
const num = (name: string, def: number) => Number(process.env[name] ?? def);
const seconds = num('BENCH_EVENTS_SECONDS', 10);
const rate = num('BENCH_EVENTS_RATE', 200);
const burst = num('BENCH_EVENTS_BURST', 5000);
const tpSeconds = num('BENCH_EVENTS_TP_SECONDS', 5);
const tpRounds = num('BENCH_EVENTS_TP_ROUNDS', 3);
const redisUrl = process.env['STRATA_REDIS_URL'] || 'redis://127.0.0.1:6379';
const prefix = `bench-events-${randomBytes(4).toString('hex')}`;

interface Running {
  servers: StrataProcess[];
  subscription?: SseSubscription;
  receiver?: WebhookReceiver;
  clients: BenchClient[];
}

function sdk(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
}

async function target(server: StrataProcess, running: Running): Promise<EventsTarget> {
  const client = new BenchClient({
    endpoint: server.endpoint,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    region: REGION,
    maxSockets: 64,
  });
  running.clients.push(client);
  const s3 = sdk(server.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();
  return {
    endpoint: server.endpoint,
    client,
    bucket: BUCKET,
    metricsAuth: 'Basic ' + Buffer.from(`${ACCESS_KEY}:${SECRET_KEY}`).toString('base64'),
    pid: server.pid,
  };
}

async function main(tmp: string, running: Running): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}; Redis ${redisUrl}, prefix ${prefix}-*\n`,
  );
  const receiver = (running.receiver = new WebhookReceiver(WEBHOOK_SECRET));
  const hookUrl = await receiver.start();
  const common = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, readyTimeoutMs: 60_000 };
  const [on, off] = await Promise.all([
    spawnStrata({
      ...common,
      dataDir: path.join(tmp, 'events-on'),
      env: {
        STRATA_REDIS_PREFIX: `${prefix}-on`,
        [`STRATA_NOTIFY_WEBHOOK_ENDPOINT_${WEBHOOK_ID}`]: hookUrl,
        [`STRATA_NOTIFY_WEBHOOK_SECRET_${WEBHOOK_ID}`]: WEBHOOK_SECRET,
      },
    }),
    spawnStrata({
      ...common,
      dataDir: path.join(tmp, 'no-consumers'),
      env: { STRATA_REDIS_PREFIX: `${prefix}-off` },
    }),
  ]);
  running.servers.push(on, off);
  const onTarget = await target(on, running);
  const offTarget = await target(off, running);

  const sinks: Sink[] = [];
  const s3 = sdk(on.endpoint);
  try {
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: BUCKET,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'bench-webhook',
              QueueArn: `arn:strata:sqs::${WEBHOOK_ID}:webhook`,
              Events: ['s3:ObjectCreated:*'],
            },
          ],
        },
      }),
    );
    sinks.push({ name: 'webhook received', arrivals: receiver.arrivals });
  } catch (e) {
    console.log(
      `webhook: not measured, the notification configuration was refused (${(e as Error).message})`,
    );
  } finally {
    s3.destroy();
  }
  try {
    const sub = new SseSubscription({
      endpoint: on.endpoint,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      bucket: BUCKET,
    });
    await sub.start();
    running.subscription = sub;
    sinks.unshift({ name: 'subscription (SSE) delivered', arrivals: sub.arrivals });
  } catch (e) {
    console.log(`subscription: not measured (${(e as Error).message})`);
  }

  const live = await warmUp(onTarget, sinks, 30_000);
  for (const s of sinks)
    if (!live.includes(s)) console.log(`${s.name}: not measured, no event arrived within 30 s of warm-up`);
  console.log(`"events on" consumers: ${live.map((s) => s.name).join(', ') || 'none'}\n`);

  await latencyPhase(onTarget, live, rate, seconds);
  console.log('');
  await burstPhase(onTarget, live, burst, 32);
  console.log('');
  await throughputPhase(
    [
      {
        label: 'events on',
        target: onTarget,
        drain: async (keys) => {
          for (const s of live) await s.arrivals.waitFor(keys, 60_000);
        },
      },
      { label: 'no consumers', target: offTarget, drain: async () => undefined },
    ],
    tpRounds,
    tpSeconds,
    16,
  );
  const queues = (await sampleMetrics(offTarget))?.queues.join(', ') ?? 'unknown';
  console.log(
    '\n"events on" = `strata serve` (relay and workers in-process) with a webhook notification on\n' +
      'every s3:ObjectCreated:* of the bucket and one GraphQL subscription (SSE) to it.\n' +
      '"no consumers" = the same command with no notification configuration, no webhook target and no\n' +
      'subscriber. Its PUTs still append to the outbox in their transaction and the relay still moves\n' +
      `every event to the bus (pub/sub, and the jobs of built-in consumers; queues: ${queues}).`,
  );
  if (receiver.badSignatures > 0)
    throw new Error(`${receiver.badSignatures} webhook deliveries had a bad signature`);
  for (const e of running.subscription?.errors ?? []) console.log(`subscription error: ${e}`);
}

/** Deletes this run's Redis keys (both servers' prefixes); best effort. */
async function cleanRedis(): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis may be gone (or was a child of a server): nothing to clean then.
  } finally {
    redis.disconnect();
  }
}

async function stop(running: Running): Promise<void> {
  await running.subscription?.close().catch(() => undefined);
  for (const c of running.clients) c.close();
  await Promise.all(
    running.servers.map(async (s) => {
      const timer = setTimeout(() => void s.kill('SIGKILL'), 10_000);
      await s.kill('SIGTERM');
      clearTimeout(timer);
    }),
  );
  await running.receiver?.close().catch(() => undefined);
  await cleanRedis();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-events-'));
const running: Running = { servers: [], clients: [] };
let cleaned = false;
const cleanup = async () => {
  if (cleaned) return;
  cleaned = true;
  await stop(running).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  await main(tmp, running);
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  for (const s of running.servers) console.error(`strata (port ${s.port}) output:\n${s.output()}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
