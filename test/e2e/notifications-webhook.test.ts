/**
 * Webhook notifications end to end: real S3 client, real Redis, the real
 * outbox relay and BullMQ workers, and a local HTTP receiver. A PUT that
 * matches a configuration is POSTed exactly once, signed; events that do not
 * match are not; a receiver that fails is retried with backoff; one that
 * stays down leaves a failed job that delivers when retried.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type QueueConfiguration,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { WebhookQueue, WebhookReceiver, waitFor, type Delivery } from './notifications-kit.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = 'receiver-shared-secret';
const ATTEMPTS = 3;

interface Body {
  Records: Array<{
    eventName: string;
    eventSource: string;
    awsRegion: string;
    s3: {
      configurationId: string;
      bucket: { name: string };
      object: { key: string; size?: number; eTag?: string; sequencer: string };
    };
  }>;
}

const bodyOf = (d: Delivery) => JSON.parse(d.raw.toString('utf8')) as Body;
/** Keys in records are URL-encoded like form values (space → '+'). */
const keyOf = (d: Delivery) =>
  decodeURIComponent((bodyOf(d).Records[0]?.s3.object.key ?? '').replace(/\+/g, ' '));
const keysOf = (ds: Delivery[]) => ds.map(keyOf).sort();

function rule(
  id: string,
  target: string,
  events: string[],
  prefix?: string,
  suffix?: string,
): QueueConfiguration {
  const rules = [
    ...(prefix === undefined ? [] : [{ Name: 'prefix' as const, Value: prefix }]),
    ...(suffix === undefined ? [] : [{ Name: 'suffix' as const, Value: suffix }]),
  ];
  return {
    Id: id,
    QueueArn: `arn:strata:sqs::${target}:webhook`,
    Events: events as QueueConfiguration['Events'],
    ...(rules.length === 0 ? {} : { Filter: { Key: { FilterRules: rules } } }),
  };
}

describe('webhook notifications', () => {
  const receiver = new WebhookReceiver();
  const prefix = `strata-test-${randomUUID().slice(0, 8)}`;
  let t: TestStrata;
  let jobs: WebhookQueue;

  before(async () => {
    await receiver.start();
    t = await startStrata(
      {
        STRATA_REDIS_URL: REDIS_URL,
        STRATA_REDIS_PREFIX: prefix,
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_main: receiver.url('/main'),
        STRATA_NOTIFY_WEBHOOK_SECRET_main: SECRET,
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_plain: receiver.url('/plain'),
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_flaky: receiver.url('/flaky'),
        STRATA_NOTIFY_WEBHOOK_SECRET_flaky: SECRET,
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_down: receiver.url('/down'),
        STRATA_NOTIFY_WEBHOOK_ENDPOINT_reject: receiver.url('/reject'),
        STRATA_NOTIFY_WEBHOOK_ATTEMPTS: String(ATTEMPTS),
        STRATA_NOTIFY_WEBHOOK_BACKOFF_MS: '50',
      },
      { relay: true, workers: true },
    );
    jobs = new WebhookQueue(REDIS_URL, prefix);
  });
  after(async () => {
    await t?.close();
    await jobs?.close();
    await receiver.close();
  });

  const configure = async (QueueConfigurations: QueueConfiguration[]) => {
    const name = bucketName('hook');
    await t.s3.send(new CreateBucketCommand({ Bucket: name }));
    await t.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        NotificationConfiguration: { QueueConfigurations },
      }),
    );
    return name;
  };
  const put = (Bucket: string, Key: string, Body = 'hello') =>
    t.s3.send(new PutObjectCommand({ Bucket, Key, Body }));

  it('POSTs each matching event once, signed, in S3 event format, and nothing else', async () => {
    const name = await configure([
      rule('photos', 'main', ['s3:ObjectCreated:*'], 'photos/', '.jpg'),
      rule('removals', 'main', ['s3:ObjectRemoved:Delete']),
      rule('notes', 'plain', ['s3:ObjectCreated:Put'], 'notes/'),
    ]);
    const photo = await put(name, 'photos/a b.jpg', 'jpeg bytes');
    await put(name, 'photos/a.png'); // suffix does not match
    await put(name, 'docs/a.jpg'); // prefix does not match
    await t.s3
      .send(new GetObjectCommand({ Bucket: name, Key: 'photos/a b.jpg' }))
      .then((r) => r.Body?.transformToString());
    await t.s3.send(
      new PutObjectTaggingCommand({
        Bucket: name,
        Key: 'photos/a b.jpg',
        Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] },
      }),
    ); // event type not configured
    await t.s3.send(
      new CopyObjectCommand({ Bucket: name, Key: 'notes/copied.jpg', CopySource: `${name}/docs/a.jpg` }),
    ); // Copy ≠ Put
    await t.s3.send(
      new CopyObjectCommand({ Bucket: name, Key: 'photos/copy.jpg', CopySource: `${name}/docs/a.jpg` }),
    );
    await t.s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'docs/a.jpg' }));
    await put(name, 'notes/last.txt');

    // Events are relayed in order and jobs are made when relayed: once the last one is
    // delivered and the queue is idle, every delivery this bucket will ever make has been made.
    await waitFor('the last delivery', () => receiver.to('/plain').length === 1);
    await waitFor('an idle webhook queue', async () => {
      const c = await jobs.queue.getJobCounts('waiting', 'active', 'delayed');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    });
    const main = receiver.to('/main').filter((d) => bodyOf(d).Records[0]?.s3.bucket.name === name);
    assert.deepEqual(keysOf(main), ['docs/a.jpg', 'photos/a b.jpg', 'photos/copy.jpg']);
    assert.deepEqual(keysOf(receiver.to('/plain')), ['notes/last.txt']);
    assert.equal(new Set(main.map((d) => d.headers['x-strata-delivery'])).size, 3, 'one POST per delivery');

    for (const d of main) {
      assert.equal(d.headers['content-type'], 'application/json');
      const expected = `sha256=${createHmac('sha256', SECRET).update(d.raw).digest('hex')}`;
      assert.equal(d.headers['x-strata-signature'], expected);
      assert.match(String(d.headers['x-strata-delivery']), /^webhook-\d+-[0-9a-f]{16}$/);
      const record = bodyOf(d).Records[0];
      assert.equal(bodyOf(d).Records.length, 1);
      // The sequencer is the event id in hex.
      assert.equal(
        Number.parseInt(record?.s3.object.sequencer ?? '', 16),
        Number(d.headers['x-strata-event-id']),
      );
    }
    const byKey = new Map(main.map((d) => [keyOf(d), bodyOf(d).Records[0]]));
    const created = byKey.get('photos/a b.jpg');
    assert.match(created?.s3.object.key ?? '', /^photos(\/|%2F)a\+b\.jpg$/);
    assert.equal(created?.eventName, 'ObjectCreated:Put');
    assert.equal(created?.eventSource, 'aws:s3');
    assert.equal(created?.s3.configurationId, 'photos');
    assert.equal(created?.s3.object.size, 'jpeg bytes'.length);
    assert.equal(`"${created?.s3.object.eTag}"`, photo.ETag);
    assert.equal(byKey.get('photos/copy.jpg')?.eventName, 'ObjectCreated:Copy');
    assert.equal(byKey.get('docs/a.jpg')?.eventName, 'ObjectRemoved:Delete');
    assert.equal(byKey.get('docs/a.jpg')?.s3.configurationId, 'removals');
    assert.equal(
      receiver.to('/plain')[0]?.headers['x-strata-signature'],
      undefined,
      'no secret, no signature',
    );
  });

  it('retries a receiver that fails, with the same delivery, until it succeeds', async () => {
    receiver.answer('/flaky', (n) => (n <= 2 ? 500 : 204));
    const name = await configure([rule('flaky', 'flaky', ['s3:ObjectCreated:*'])]);
    await put(name, 'retry-me.txt');
    const tries = await waitFor('a successful third try', () => {
      const ds = receiver.to('/flaky');
      return ds.some((d) => d.status === 204) ? ds : undefined;
    });
    assert.deepEqual(
      tries.map((d) => d.status),
      [500, 500, 204],
    );
    assert.equal(new Set(tries.map((d) => d.headers['x-strata-delivery'])).size, 1);
    assert.equal(new Set(tries.map((d) => d.raw.toString())).size, 1);
    const id = String(tries[0]?.headers['x-strata-delivery']);
    await waitFor('the job to complete', async () => (await jobs.queue.getJobState(id)) === 'completed');
    // Read once completed: a job read while it was still active has no return value yet.
    const job = await jobs.queue.getJob(id);
    assert.equal((job?.returnvalue as { attempt: number }).attempt, 3);
    const logs = await jobs.queue.getJobLogs(id);
    assert.equal(logs.count, 2);
    assert.match(logs.logs[0] ?? '', /attempt 1 failed: flaky: receiver answered 500/);
    assert.match(logs.logs[1] ?? '', /attempt 2 failed: flaky: receiver answered 500/);
  });

  it('keeps the job as failed when the receiver stays down, and delivers it when retried', async () => {
    let up = false;
    receiver.answer('/down', () => (up ? 200 : 503));
    const name = await configure([rule('down', 'down', ['s3:ObjectCreated:Put'])]);
    await put(name, 'patient.txt');
    const failed = await waitFor('the job to fail', async () =>
      (await jobs.queue.getFailed()).find((j) => j.data?.record?.s3?.bucket?.name === name),
    );
    assert.equal(receiver.to('/down').length, ATTEMPTS);
    assert.match(failed.failedReason ?? '', /down: receiver answered 503; gave up after 3 attempts/);

    up = true;
    await failed.retry('failed');
    await waitFor('the retried delivery', () => receiver.to('/down').some((d) => d.status === 200));
    await waitFor('the job to complete', async () => (await failed.getState()) === 'completed');
    assert.equal(receiver.to('/down').length, ATTEMPTS + 1);
  });

  it('does not retry a receiver that refuses the delivery with a 4xx; a retry by hand is its second attempt', async () => {
    let fixed = false;
    receiver.answer('/reject', () => (fixed ? 200 : 400));
    const name = await configure([rule('reject', 'reject', ['s3:ObjectCreated:*'])]);
    await put(name, 'refused.txt');
    const failed = await waitFor('the job to fail', async () =>
      (await jobs.queue.getFailed()).find((j) => j.data?.record?.s3?.bucket?.name === name),
    );
    assert.match(failed.failedReason ?? '', /reject: receiver answered 400; a retry cannot help/);
    assert.equal(receiver.to('/reject').length, 1);

    fixed = true;
    await failed.retry('failed');
    await waitFor('the job to complete', async () => (await failed.getState()) === 'completed');
    assert.equal(receiver.to('/reject').length, 2);
    const done = await jobs.queue.getJob(failed.id ?? '');
    assert.equal((done?.returnvalue as { attempt: number }).attempt, 2);
  });
});
