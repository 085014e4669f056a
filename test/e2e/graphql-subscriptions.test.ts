/**
 * Subscription.objectEvents end to end: objects written with the real S3
 * client, events carried by the outbox relay over Redis pub/sub, received over
 * GraphQL over SSE and over WebSocket (graphql-ws) — also when the subscriber
 * is on one gateway process and the writer on another.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { eventsChannel } from '../../shared/bus/channels.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { spawnStrata, type StrataProcess } from '../helpers/strata-process.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import {
  basic,
  errorCode,
  eventRecord,
  sseSubscribe,
  strataEvent,
  wsClient,
  wsSubscribe,
  type GqlAuth,
  type Payload,
  type Subscription,
} from './graphql-kit.js';

interface ObjectEvent {
  id: string;
  eventName: string;
  bucket: string;
  key: string;
  versionId: string | null;
  size: number | null;
  eTag: string | null;
  eventTime: string;
  sequencer: string;
  record: string;
}
type Events = Subscription<{ objectEvents: ObjectEvent }>;

const SUBSCRIPTION = `subscription($b: String!, $p: String, $e: [String!]) {
  objectEvents(bucket: $b, prefix: $p, events: $e) {
    id eventName bucket key versionId size eTag eventTime sequencer record } }`;

function eventOf(p: Payload<{ objectEvents: ObjectEvent }>): ObjectEvent {
  assert.equal(p.errors, undefined, JSON.stringify(p.errors));
  return p.data!.objectEvents;
}

/**
 * A WebSocket subscription is registered some time after the client sends
 * it, with nothing to wait on: write probe objects until one's event arrives,
 * so later writes are sure to be seen.
 */
async function untilLive(sub: Events, s3: S3Client, bucket: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; ; i++) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `probe/${i}`, Body: 'p' }));
    try {
      const e = eventOf(await sub.next(200, 'a probe event'));
      if (e.key.startsWith('probe/')) {
        // Probes written before this one may still be on their way.
        for (let late = 0; late < i; late++) await sub.next(1000, 'late probes').catch(() => undefined);
        sub.drain();
        return;
      }
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** No further event arrives (beyond the ones read): one event per change. */
async function noMoreEvents(sub: Events): Promise<void> {
  await assert.rejects(sub.next(300, 'no further event'), /timed out/);
}

describe('GraphQL subscriptions (one gateway, relay on)', () => {
  let t: TestStrata;
  let root: GqlAuth;
  const prefix = `test-gql-sub-${randomUUID()}`;
  let redis: Redis;

  before(async () => {
    t = await startStrata({ STRATA_REDIS_PREFIX: prefix }, { relay: true });
    root = { accessKey: t.accessKey, secretKey: t.secretKey };
    redis = new Redis(TEST_REDIS_URL);
  });
  after(async () => {
    redis?.disconnect();
    await t?.close();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  const newBucket = async (versioned = false) => {
    const b = bucketName('gs');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    if (versioned) {
      await t.s3.send(
        new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    return b;
  };

  it('SSE: a PutObject and a DeleteObject through S3 arrive as one event each', async () => {
    const b = await newBucket();
    const sub = await sseSubscribe<{ objectEvents: ObjectEvent }>(t.endpoint, root, SUBSCRIPTION, { b });
    try {
      assert.equal(sub.status, 200);
      assert.match(sub.contentType ?? '', /text\/event-stream/);
      const key = 'photos/summer trip/ä+1.jpg';
      const put = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'jpeg bytes' }));
      const created = eventOf(await sub.next());
      assert.equal(created.eventName, 'ObjectCreated:Put');
      assert.equal(created.bucket, b);
      assert.equal(created.key, key);
      assert.equal(created.size, 10);
      assert.equal(`"${created.eTag}"`, put.ETag);
      assert.equal(created.versionId, null);
      assert.ok(Math.abs(Date.parse(created.eventTime) - Date.now()) < 60_000);
      assert.match(created.id, /^\d+$/);
      // The record is S3's: its key URL-encoded (form style, "+" for a space).
      const record = JSON.parse(created.record) as { s3: { object: { key: string } }; eventSource: string };
      assert.equal(record.eventSource, 'aws:s3');
      assert.match(record.s3.object.key, /^photos.*summer\+trip.*%C3%A4%2B1\.jpg$/);
      assert.equal(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')), key);

      await t.s3.send(new DeleteObjectCommand({ Bucket: b, Key: key }));
      const removed = eventOf(await sub.next());
      assert.equal(removed.eventName, 'ObjectRemoved:Delete');
      assert.equal(removed.key, key);
      assert.ok(Number(removed.id) > Number(created.id));
      await noMoreEvents(sub);
    } finally {
      await sub.close();
    }
  });

  it('SSE: filters by key prefix and event-name wildcards; versioned events carry the version id', async () => {
    const b = await newBucket(true);
    const sub = await sseSubscribe<{ objectEvents: ObjectEvent }>(t.endpoint, root, SUBSCRIPTION, {
      b,
      p: 'a/',
      e: ['s3:ObjectRemoved:*', 'ObjectCreated:Copy'],
    });
    try {
      await t.s3.send(new PutObjectCommand({ Bucket: b, Key: 'a/x', Body: '1' }));
      await t.s3.send(new PutObjectCommand({ Bucket: b, Key: 'b/y', Body: '2' }));
      await t.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'b/y' }));
      await t.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'a/copy', CopySource: `${b}/a/x` }));
      const marker = await t.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'a/x' }));
      // Events travel in order: anything the filters let through would come first.
      const copy = eventOf(await sub.next());
      assert.deepEqual([copy.eventName, copy.key], ['ObjectCreated:Copy', 'a/copy']);
      const del = eventOf(await sub.next());
      assert.deepEqual([del.eventName, del.key], ['ObjectRemoved:DeleteMarkerCreated', 'a/x']);
      assert.equal(del.versionId, marker.VersionId);
      await noMoreEvents(sub);
    } finally {
      await sub.close();
    }
  });

  it('refuses buckets the caller cannot see and patterns that match no event', async () => {
    const b = await newBucket();
    const other = { accessKey: `SUBOTHER${randomUUID().slice(0, 6)}`, secretKey: 'other-secret-key' };
    t.node.store.createUser(`sub-other-${randomUUID().slice(0, 6)}`, other.accessKey, other.secretKey);
    const cases: [GqlAuth, Record<string, unknown>, string][] = [
      [other, { b }, 'AccessDenied'],
      [root, { b: 'no-such-bucket-anywhere' }, 'NoSuchBucket'],
      [root, { b, e: ['s3:ObjectExploded:*'] }, 'InvalidArgument'],
    ];
    for (const [auth, vars, code] of cases) {
      const sub = await sseSubscribe<{ objectEvents: ObjectEvent }>(t.endpoint, auth, SUBSCRIPTION, vars);
      const first = await sub.next();
      assert.equal(errorCode({ status: 200, headers: new Headers(), errors: first.errors }), code);
      await sub.close();
    }
  });

  it('drops an event published twice (a relay replay) and ignores malformed messages', async () => {
    const b = await newBucket();
    const sub = await sseSubscribe<{ objectEvents: ObjectEvent }>(t.endpoint, root, SUBSCRIPTION, { b });
    try {
      const event = JSON.stringify(strataEvent(900_000_001, eventRecord({ bucket: b, key: 'twice' })));
      const channel = eventsChannel(prefix);
      await redis.publish(channel, event);
      await redis.publish(channel, 'not json');
      await redis.publish(channel, event);
      await redis.publish(
        channel,
        JSON.stringify(strataEvent(900_000_002, eventRecord({ bucket: b, key: 'once' }))),
      );
      assert.equal(eventOf(await sub.next()).key, 'twice');
      assert.equal(eventOf(await sub.next()).key, 'once');
      await noMoreEvents(sub);
    } finally {
      await sub.close();
    }
  });

  it('GraphQL mutations make the same events, naming the GraphQL caller and request', async () => {
    const b = await newBucket();
    await t.s3.send(new PutObjectCommand({ Bucket: b, Key: 'doomed', Body: 'x' }));
    const sub = await sseSubscribe<{
      objectEvents: ObjectEvent & { principalId: string; requestId: string };
    }>(
      t.endpoint,
      root,
      // The PUT's own event may still be on its way: only removals.
      'subscription($b: String!) { objectEvents(bucket: $b, events: ["s3:ObjectRemoved:*"]) { eventName key principalId requestId } }',
      { b },
    );
    try {
      const res = await fetch(`${t.endpoint}/_strata/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(t.accessKey, t.secretKey) },
        body: JSON.stringify({
          query:
            'mutation($b: String!) { deleteObjects(bucket: $b, objects: [{ key: "doomed" }]) { deleted { key } } }',
          variables: { b },
        }),
      });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const e = (await sub.next()).data!.objectEvents;
      assert.deepEqual([e.eventName, e.key], ['ObjectRemoved:Delete', 'doomed']);
      assert.equal(e.principalId, t.node.root.id);
      assert.equal(e.requestId, res.headers.get('x-amz-request-id'));
    } finally {
      await sub.close();
    }
  });

  it('WebSocket (graphql-ws): PutObject and DeleteObject through S3', async () => {
    const b = await newBucket();
    const client = wsClient(t.endpoint, root);
    const sub: Events = wsSubscribe(client, SUBSCRIPTION, { b });
    try {
      await untilLive(sub, t.s3, b);
      await t.s3.send(new PutObjectCommand({ Bucket: b, Key: 'ws key', Body: 'hello' }));
      const created = eventOf(await sub.next());
      assert.deepEqual([created.eventName, created.key, created.size], ['ObjectCreated:Put', 'ws key', 5]);
      await t.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'ws key' }));
      const removed = eventOf(await sub.next());
      assert.deepEqual([removed.eventName, removed.key], ['ObjectRemoved:Delete', 'ws key']);
      await noMoreEvents(sub);
    } finally {
      await sub.close();
      await client.dispose();
    }
  });

  it('ends open subscriptions when the node shuts down', async () => {
    const extra = await startStrata({ STRATA_REDIS_PREFIX: prefix }, { relay: true });
    const b = bucketName('gs');
    await extra.s3.send(new CreateBucketCommand({ Bucket: b }));
    const auth = { accessKey: extra.accessKey, secretKey: extra.secretKey };
    const sse = await sseSubscribe(extra.endpoint, auth, SUBSCRIPTION, { b });
    const client = wsClient(extra.endpoint, auth);
    const ws: Events = wsSubscribe(client, SUBSCRIPTION, { b });
    await untilLive(ws, extra.s3, b);
    const started = Date.now();
    await extra.close();
    assert.ok(Date.now() - started < 5000, 'open subscriptions do not hold the shutdown up');
    sse.drain();
    ws.drain();
    await assert.rejects(sse.next(5000), /ended/);
    await assert.rejects(ws.next(5000), /ended/);
    await client.dispose();
  });
});

describe('GraphQL subscriptions across gateway processes', () => {
  const prefix = `test-gql-procs-${randomUUID()}`;
  const ACCESS_KEY = 'GQLPROCROOT';
  const SECRET_KEY = 'gql-proc-root-secret';
  const env = { STRATA_REDIS_URL: TEST_REDIS_URL, STRATA_REDIS_PREFIX: prefix };
  const dirs: string[] = [];
  let reader: StrataProcess;
  let writer: StrataProcess;
  let writerS3: S3Client;
  let readerS3: S3Client;
  const auth: GqlAuth = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };

  const client = (endpoint: string) =>
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });

  before(async () => {
    // Two gateways sharing one Redis and prefix; each has its own data dir (SQLite is single-node).
    const start = async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gql-proc-'));
      dirs.push(dataDir);
      return spawnStrata({
        dataDir,
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY,
        env,
        args: ['--no-workers'],
      });
    };
    [reader, writer] = await Promise.all([start(), start()]);
    readerS3 = client(reader.endpoint);
    writerS3 = client(writer.endpoint);
  });
  after(async () => {
    readerS3?.destroy();
    writerS3?.destroy();
    await Promise.all([reader?.kill('SIGTERM'), writer?.kill('SIGTERM')]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  /** The same bucket name on both gateways (their stores are separate). */
  const sharedBucket = async () => {
    const b = bucketName('gx');
    await readerS3.send(new CreateBucketCommand({ Bucket: b }));
    await writerS3.send(new CreateBucketCommand({ Bucket: b }));
    return b;
  };

  it('SSE on one process sees S3 writes made through another', async () => {
    const b = await sharedBucket();
    const sub = await sseSubscribe<{ objectEvents: ObjectEvent }>(reader.endpoint, auth, SUBSCRIPTION, { b });
    try {
      await writerS3.send(new PutObjectCommand({ Bucket: b, Key: 'from-writer', Body: 'abc' }));
      const created = eventOf(await sub.next());
      assert.deepEqual(
        [created.eventName, created.key, created.size],
        ['ObjectCreated:Put', 'from-writer', 3],
      );
      await writerS3.send(new DeleteObjectCommand({ Bucket: b, Key: 'from-writer' }));
      assert.equal(eventOf(await sub.next()).eventName, 'ObjectRemoved:Delete');
      // And the reader's own writes, through the same subscription.
      await readerS3.send(new PutObjectCommand({ Bucket: b, Key: 'from-reader', Body: 'x' }));
      assert.equal(eventOf(await sub.next()).key, 'from-reader');
      await noMoreEvents(sub);
    } finally {
      await sub.close();
    }
  });

  it('WebSocket on one process sees S3 writes made through another', async () => {
    const b = await sharedBucket();
    const ws = wsClient(reader.endpoint, auth);
    const sub: Events = wsSubscribe(ws, SUBSCRIPTION, { b });
    try {
      await untilLive(sub, writerS3, b);
      await writerS3.send(new PutObjectCommand({ Bucket: b, Key: 'ws-from-writer', Body: 'abcd' }));
      const created = eventOf(await sub.next());
      assert.deepEqual(
        [created.eventName, created.key, created.size],
        ['ObjectCreated:Put', 'ws-from-writer', 4],
      );
      await writerS3.send(new DeleteObjectCommand({ Bucket: b, Key: 'ws-from-writer' }));
      assert.equal(eventOf(await sub.next()).eventName, 'ObjectRemoved:Delete');
      await noMoreEvents(sub);
    } finally {
      await sub.close();
      await ws.dispose();
    }
  });
});
