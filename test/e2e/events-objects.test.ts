/**
 * Object events through the S3 API, end to end: the relay (no workers) moves
 * every change from the outbox to the job bus and the events channel, with
 * the S3 event-notification fields S3 tools expect.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { EventCountsPayload } from '../../workers/event-counts.js';
import type { StrataEvent } from '../../shared/events.js';
import { EventSubscriber, waitUntil } from '../helpers/event-kit.js';
import { postForm } from '../helpers/post-form.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

describe('object events (relay, no workers)', () => {
  let t: TestStrata;
  let events: EventSubscriber;
  const prefix = `test-events-${randomUUID()}`;

  before(async () => {
    t = await startStrata({ STRATA_REDIS_PREFIX: prefix }, { relay: true });
    events = await EventSubscriber.open(TEST_REDIS_URL, prefix);
  });
  after(async () => {
    events?.close();
    await t?.close();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  const newBucket = async (versioned = false) => {
    const b = bucketName('ev');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    if (versioned) {
      await t.s3.send(
        new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    return b;
  };
  const of = (bucket: string) => events.events.filter((e) => e.record.s3.bucket.name === bucket);
  const waitFor = (bucket: string, n: number) =>
    waitUntil(`${n} events of ${bucket}`, () => (of(bucket).length >= n ? of(bucket) : undefined));
  const summary = (es: StrataEvent[]) =>
    es.map((e) => `${e.record.eventName} ${decodeURIComponent(e.record.s3.object.key.replace(/\+/g, ' '))}`);

  it('a PUT is one event in the S3 shape, and exactly one job per matching consumer', async () => {
    const bucket = await newBucket();
    const key = 'photos/my summer ü 2024+.jpg';
    const put = await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'hello events' }));
    const [e] = await waitFor(bucket, 1);
    const r = e!.record;
    assert.equal(r.eventVersion, '2.1');
    assert.equal(r.eventSource, 'aws:s3');
    assert.equal(r.awsRegion, 'us-east-1');
    assert.equal(r.eventName, 'ObjectCreated:Put');
    assert.ok(Math.abs(Date.parse(r.eventTime) - Date.now()) < 60_000);
    assert.equal(r.s3.bucket.name, bucket);
    assert.equal(r.s3.bucket.arn, `arn:aws:s3:::${bucket}`);
    assert.equal(r.s3.object.key, 'photos/my+summer+%C3%BC+2024%2B.jpg');
    assert.equal(decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')), key);
    assert.equal(r.s3.object.size, 12);
    assert.equal(r.s3.object.eTag, put.ETag!.replaceAll('"', ''));
    assert.equal(r.s3.object.versionId, undefined);
    assert.match(r.s3.object.sequencer, /^[0-9A-F]{16}$/);
    assert.equal(r.userIdentity.principalId, t.node.root.id);
    assert.equal(r.requestParameters.sourceIPAddress, '127.0.0.1');
    assert.match(r.responseElements['x-amz-request-id'], /^[0-9A-F]{16}$/);

    const queues = t.node.events!.queues;
    // Analytics counts gathered batches (ANALYTICS_GATHER_MS): the event is in exactly one batch
    // job, under its bucket and name.
    const mine = await waitUntil('the analytics job of the event', async () => {
      const analytics = await queues.jobs('analytics', ['waiting', 'active', 'completed'], 0, 1000);
      const found = analytics.flatMap((j) =>
        (j.data as EventCountsPayload).counts
          .filter((g) => g.eventIds.includes(e!.id))
          .map((g) => ({ job: j.id, bucket: g.bucket, eventName: g.eventName })),
      );
      return found.length > 0 ? found : undefined;
    });
    assert.equal(mine.length, 1, 'the event is counted by one analytics job');
    assert.deepEqual(mine[0], { job: mine[0]!.job, bucket, eventName: 'ObjectCreated:Put' });
    assert.match(mine[0]!.job!, /^analytics-\d+-\d+$/);
    const hooks = await queues.jobs('webhook', ['waiting', 'active', 'completed', 'delayed'], 0, 1000);
    assert.equal(
      hooks.filter((j) => JSON.stringify(j.data).includes(bucket)).length,
      0,
      'no webhook job: the bucket has no notification configuration',
    );
  });

  it('versioned bucket: versionIds and increasing sequencers', async () => {
    const bucket = await newBucket(true);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: `v${i}` }))).VersionId!,
      );
    }
    const es = await waitFor(bucket, 5);
    assert.deepEqual(
      es.map((e) => e.record.s3.object.versionId),
      ids,
    );
    const seqs = es.map((e) => e.record.s3.object.sequencer);
    assert.deepEqual([...seqs].sort(), seqs);
    assert.equal(new Set(seqs).size, 5);
  });

  it('copy, multipart, tagging, delete marker and permanent delete', async () => {
    const bucket = await newBucket(true);
    const v1 = await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'data' }));
    await t.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }));
    const up = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
    const part = await t.s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId: up.UploadId,
        PartNumber: 1,
        Body: 'only part',
      }),
    );
    await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId: up.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await t.s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'dst',
        Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
      }),
    );
    await t.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'dst' }));
    const marker = await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'src' }));
    await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'src', VersionId: v1.VersionId }));
    const es = await waitFor(bucket, 7);
    assert.deepEqual(summary(es), [
      'ObjectCreated:Put src',
      'ObjectCreated:Copy dst',
      'ObjectCreated:CompleteMultipartUpload big',
      'ObjectTagging:Put dst',
      'ObjectTagging:Delete dst',
      'ObjectRemoved:DeleteMarkerCreated src',
      'ObjectRemoved:Delete src',
    ]);
    assert.equal(es[2]!.record.s3.object.size, 9);
    assert.match(es[2]!.record.s3.object.eTag!, /^[0-9a-f]{32}-1$/);
    assert.equal(es[5]!.record.s3.object.versionId, marker.VersionId);
    assert.equal(es[6]!.record.s3.object.versionId, v1.VersionId);
  });

  it('DeleteObjects is one event per key; POST Object is ObjectCreated:Post', async () => {
    const bucket = await newBucket();
    for (const k of ['a', 'b', 'c'])
      await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    await t.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }] },
      }),
    );
    const res = await postForm(
      t,
      { bucket, conditions: [['eq', '$key', 'form.txt']], fields: [['key', 'form.txt']] },
      { data: Buffer.from('posted') },
    );
    assert.equal(res.status, 204, await res.clone().text());
    const es = await waitFor(bucket, 7);
    assert.deepEqual(summary(es), [
      'ObjectCreated:Put a',
      'ObjectCreated:Put b',
      'ObjectCreated:Put c',
      'ObjectRemoved:Delete a',
      'ObjectRemoved:Delete b',
      'ObjectRemoved:Delete c',
      'ObjectCreated:Post form.txt',
    ]);
    // The form's signer (root here), not the anonymous placeholder, made the POST.
    assert.equal(es[6]!.record.userIdentity.principalId, t.node.root.id);
  });

  it('GET and HEAD are ObjectAccessed events, written in batches after the reads', async () => {
    const bucket = await newBucket();
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'read me' }));
    for (let i = 0; i < 3; i++) {
      const r = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      await r.Body!.transformToString();
    }
    await t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    const es = await waitFor(bucket, 5);
    assert.deepEqual(summary(es), [
      'ObjectCreated:Put k',
      'ObjectAccessed:Get k',
      'ObjectAccessed:Get k',
      'ObjectAccessed:Get k',
      'ObjectAccessed:Head k',
    ]);
    // The four reads reached the outbox together: consecutive ids, one batch.
    const ids = es.slice(1).map((e) => e.id);
    assert.deepEqual(ids, [ids[0]!, ids[0]! + 1, ids[0]! + 2, ids[0]! + 3]);
  });
});
