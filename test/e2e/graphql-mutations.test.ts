/**
 * GraphQL mutations, checked through the real S3 client: what a mutation
 * changes is what S3 then reports, and refusals carry S3's error codes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { errorCode, gql, gqlData } from './graphql-kit.js';
import { s3Error } from './sdk-helpers.js';

describe('GraphQL mutations', () => {
  let t: TestStrata;
  let root: { accessKey: string; secretKey: string };
  const other = { accessKey: 'GQLMUTOTHER', secretKey: 'other-secret-key' };

  before(async () => {
    t = await startStrata({ STRATA_NOTIFY_WEBHOOK_ENDPOINT_hook: 'http://127.0.0.1:9/never-called' });
    root = { accessKey: t.accessKey, secretKey: t.secretKey };
    t.node.store.createUser('gql-mut-other', other.accessKey, other.secretKey);
  });
  after(async () => {
    await t?.close();
  });

  const newBucket = async (versioned = false) => {
    const b = bucketName('gm');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    if (versioned) {
      await t.s3.send(
        new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
    return b;
  };
  const put = (Bucket: string, Key: string, Body = 'x') =>
    t.s3.send(new PutObjectCommand({ Bucket, Key, Body }));

  it('createBucket and deleteBucket, with S3’s refusals', async () => {
    const b = bucketName('gm');
    const d = await gqlData<{ createBucket: { name: string; versioning: null } }>(
      t.endpoint,
      root,
      'mutation($b: String!) { createBucket(name: $b) { name versioning } }',
      { b },
    );
    assert.deepEqual(d.createBucket, { name: b, versioning: null });
    await t.s3.send(new HeadBucketCommand({ Bucket: b }));
    const again = await gql(t.endpoint, root, 'mutation($b: String!) { createBucket(name: $b) { name } }', {
      b,
    });
    assert.equal(errorCode(again), 'BucketAlreadyOwnedByYou');
    const taken = await gql(t.endpoint, other, 'mutation($b: String!) { createBucket(name: $b) { name } }', {
      b,
    });
    assert.equal(errorCode(taken), 'BucketAlreadyExists');
    const invalid = await gql(t.endpoint, root, 'mutation { createBucket(name: "Not_Valid") { name } }');
    assert.equal(errorCode(invalid), 'InvalidBucketName');

    await put(b, 'keep');
    const notEmpty = await gql(t.endpoint, root, 'mutation($b: String!) { deleteBucket(name: $b) }', { b });
    assert.equal(errorCode(notEmpty), 'BucketNotEmpty');
    await gqlData(
      t.endpoint,
      root,
      'mutation($b: String!) { deleteObjects(bucket: $b, objects: [{key: "keep"}]) { deleted { key } } }',
      { b },
    );
    assert.deepEqual(
      await gqlData(t.endpoint, root, 'mutation($b: String!) { deleteBucket(name: $b) }', { b }),
      {
        deleteBucket: true,
      },
    );
    assert.equal((await s3Error(t.s3.send(new HeadBucketCommand({ Bucket: b })))).status, 404);
  });

  it('deleteObjects: delete markers, versions for good, per-key errors', async () => {
    const b = await newBucket(true);
    await put(b, 'a');
    const v = (await put(b, 'b')).VersionId!;
    const d = await gqlData<{
      deleteObjects: {
        deleted: {
          key: string;
          versionId: string | null;
          deleteMarker: boolean;
          deleteMarkerVersionId: string | null;
        }[];
        errors: { key: string; code: string }[];
      };
    }>(
      t.endpoint,
      root,
      `mutation($b: String!, $o: [ObjectIdentifierInput!]!) { deleteObjects(bucket: $b, objects: $o) {
        deleted { key versionId deleteMarker deleteMarkerVersionId } errors { key code } } }`,
      { b, o: [{ key: 'a' }, { key: 'b', versionId: v }, { key: 'c', versionId: '' }] },
    );
    const [a, bb] = d.deleteObjects.deleted;
    assert.equal(a!.key, 'a');
    assert.equal(a!.deleteMarker, true);
    assert.ok(a!.deleteMarkerVersionId);
    assert.deepEqual(bb, { key: 'b', versionId: v, deleteMarker: false, deleteMarkerVersionId: null });
    assert.deepEqual(d.deleteObjects.errors, [{ key: 'c', code: 'InvalidArgument' }]);
    const listed = await t.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.deepEqual(
      listed.DeleteMarkers?.map((m) => m.Key),
      ['a'],
    );
    assert.deepEqual(
      listed.Versions?.map((x) => x.Key),
      ['a'],
    );
  });

  it('copyObject keeps or replaces metadata and tags', async () => {
    const src = await newBucket();
    const dst = await newBucket();
    await t.s3.send(
      new PutObjectCommand({
        Bucket: src,
        Key: 's',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { a: '1' },
        Tagging: 't=1',
      }),
    );
    const q = `mutation($i: CopyObjectInput!) { copyObject(input: $i) { bucket key size contentType userMetadata { name value } tags { key value } } }`;
    const kept = await gqlData<{ copyObject: Record<string, unknown> }>(t.endpoint, root, q, {
      i: { sourceBucket: src, sourceKey: 's', bucket: dst, key: 'kept' },
    });
    assert.deepEqual(kept.copyObject, {
      bucket: dst,
      key: 'kept',
      size: 7,
      contentType: 'text/plain',
      userMetadata: [{ name: 'a', value: '1' }],
      tags: [{ key: 't', value: '1' }],
    });
    await gqlData(t.endpoint, root, q, {
      i: {
        sourceBucket: src,
        sourceKey: 's',
        bucket: dst,
        key: 'replaced',
        metadataDirective: 'REPLACE',
        contentType: 'application/json',
        userMetadata: [{ name: 'B', value: '2' }],
        taggingDirective: 'REPLACE',
        tags: [{ key: 'x', value: 'y' }],
      },
    });
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'replaced' }));
    assert.equal(head.ContentType, 'application/json');
    assert.deepEqual(head.Metadata, { b: '2' });
    const tags = await t.s3.send(new GetObjectTaggingCommand({ Bucket: dst, Key: 'replaced' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'x', Value: 'y' }]);
    const body = await (
      await t.s3.send(new GetObjectCommand({ Bucket: dst, Key: 'replaced' }))
    ).Body!.transformToString();
    assert.equal(body, 'copy me');

    const foreign = await gql(t.endpoint, other, q, {
      i: { sourceBucket: src, sourceKey: 's', bucket: src, key: 'x' },
    });
    assert.equal(errorCode(foreign), 'AccessDenied');
    const missing = await gql(t.endpoint, root, q, {
      i: { sourceBucket: src, sourceKey: 'nope', bucket: dst, key: 'x' },
    });
    assert.equal(errorCode(missing), 'NoSuchKey');
  });

  it('setObjectTags and setBucketTags, validated as S3 does', async () => {
    const b = await newBucket();
    await put(b, 'o');
    const d = await gqlData<{ setObjectTags: { tags: { key: string; value: string }[] } }>(
      t.endpoint,
      root,
      'mutation($b: String!) { setObjectTags(bucket: $b, key: "o", tags: [{key: "k", value: "v"}]) { tags { key value } } }',
      { b },
    );
    assert.deepEqual(d.setObjectTags.tags, [{ key: 'k', value: 'v' }]);
    assert.deepEqual((await t.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'o' }))).TagSet, [
      { Key: 'k', Value: 'v' },
    ]);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const refused = await gql(
      t.endpoint,
      root,
      'mutation($b: String!, $t: [TagInput!]!) { setObjectTags(bucket: $b, key: "o", tags: $t) { key } }',
      { b, t: tooMany },
    );
    assert.equal(errorCode(refused), 'BadRequest');
    const bad = await gql(
      t.endpoint,
      root,
      'mutation($b: String!) { setObjectTags(bucket: $b, key: "o", tags: [{key: "aws:x", value: "v"}]) { key } }',
      { b },
    );
    assert.equal(errorCode(bad), 'InvalidTag');

    const bt = await gqlData<{ setBucketTags: { key: string; value: string }[] }>(
      t.endpoint,
      root,
      'mutation($b: String!) { setBucketTags(bucket: $b, tags: [{key: "env", value: "prod"}]) { key value } }',
      { b },
    );
    assert.deepEqual(bt.setBucketTags, [{ key: 'env', value: 'prod' }]);
    assert.deepEqual((await t.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet, [
      { Key: 'env', Value: 'prod' },
    ]);
    await gqlData(t.endpoint, root, 'mutation($b: String!) { setBucketTags(bucket: $b, tags: []) { key } }', {
      b,
    });
    assert.equal((await s3Error(t.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).code, 'NoSuchTagSet');
  });

  it('setBucketVersioning', async () => {
    const b = await newBucket();
    const d = await gqlData<{ setBucketVersioning: { versioning: string } }>(
      t.endpoint,
      root,
      'mutation($b: String!) { setBucketVersioning(bucket: $b, status: Enabled) { versioning } }',
      { b },
    );
    assert.equal(d.setBucketVersioning.versioning, 'Enabled');
    assert.equal((await t.s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status, 'Enabled');
  });

  it('setBucketNotificationConfiguration: stored as S3 reads it, unknown targets refused', async () => {
    const b = await newBucket();
    const q = `mutation($b: String!, $c: NotificationConfigurationInput!) {
      setBucketNotificationConfiguration(bucket: $b, configuration: $c) { rules { id kind arn events prefix suffix } } }`;
    const arn = 'arn:strata:sqs::hook:webhook';
    const d = await gqlData<{ setBucketNotificationConfiguration: { rules: Record<string, unknown>[] } }>(
      t.endpoint,
      root,
      q,
      {
        b,
        c: { rules: [{ id: 'images', arn, events: ['s3:ObjectCreated:*'], prefix: 'img/', suffix: '.jpg' }] },
      },
    );
    assert.deepEqual(d.setBucketNotificationConfiguration.rules, [
      { id: 'images', kind: 'Queue', arn, events: ['s3:ObjectCreated:*'], prefix: 'img/', suffix: '.jpg' },
    ]);
    const s3 = await t.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
    assert.equal(s3.QueueConfigurations?.[0]?.QueueArn, arn);
    assert.deepEqual(s3.QueueConfigurations?.[0]?.Events, ['s3:ObjectCreated:*']);
    const read = await gqlData<{ bucket: { configuration: { notification: { rules: { id: string }[] } } } }>(
      t.endpoint,
      root,
      'query($b: String!) { bucket(name: $b) { configuration { notification { rules { id } } } } }',
      { b },
    );
    assert.deepEqual(read.bucket.configuration.notification.rules, [{ id: 'images' }]);

    const unknown = await gql(t.endpoint, root, q, {
      b,
      c: { rules: [{ arn: 'arn:strata:sqs::nosuch:webhook', events: ['s3:ObjectCreated:*'] }] },
    });
    assert.equal(errorCode(unknown), 'InvalidArgument');
    const badEvent = await gql(t.endpoint, root, q, { b, c: { rules: [{ arn, events: ['s3:Nope'] }] } });
    assert.equal(errorCode(badEvent), 'InvalidArgument');
    const cleared = await gqlData<{ setBucketNotificationConfiguration: { rules: unknown[] } }>(
      t.endpoint,
      root,
      q,
      {
        b,
        c: { rules: [] },
      },
    );
    assert.deepEqual(cleared.setBucketNotificationConfiguration.rules, []);
  });

  it('uploadUrl: a presigned PUT that works with plain fetch, then reads back through S3', async () => {
    const b = await newBucket();
    const key = 'uploads/ünïcode name+plus (1).txt';
    const d = await gqlData<{
      uploadUrl: {
        url: string;
        method: string;
        headers: { name: string; value: string }[];
        expiresAt: string;
      };
    }>(
      t.endpoint,
      root,
      'mutation($b: String!, $k: String!) { uploadUrl(bucket: $b, key: $k, expiresIn: 120, contentType: "text/plain") { url method headers { name value } expiresAt } }',
      { b, k: key },
    );
    const u = d.uploadUrl;
    assert.equal(u.method, 'PUT');
    assert.ok(u.url.startsWith(`${t.endpoint}/${b}/`), u.url);
    assert.deepEqual(u.headers, [{ name: 'Content-Type', value: 'text/plain' }]);
    assert.ok(Math.abs(Date.parse(u.expiresAt) - (Date.now() + 120_000)) < 10_000);

    const wrongType = await fetch(u.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: 'nope',
    });
    assert.equal(wrongType.status, 403);
    assert.match(await wrongType.text(), /SignatureDoesNotMatch/);

    const res = await fetch(u.url, {
      method: 'PUT',
      headers: Object.fromEntries(u.headers.map((h) => [h.name, h.value])),
      body: 'uploaded from a browser',
    });
    assert.equal(res.status, 200, await res.text());
    const got = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
    assert.equal(await got.Body!.transformToString(), 'uploaded from a browser');
    assert.equal(got.ContentType, 'text/plain');

    const tooLong = await gql(
      t.endpoint,
      root,
      'mutation($b: String!) { uploadUrl(bucket: $b, key: "k", expiresIn: 604801) { url } }',
      { b },
    );
    assert.equal(errorCode(tooLong), 'InvalidArgument');
    const dots = await gql(
      t.endpoint,
      root,
      'mutation($b: String!) { uploadUrl(bucket: $b, key: "a/../b") { url } }',
      { b },
    );
    assert.equal(errorCode(dots), 'InvalidArgument');
    const foreign = await gql(
      t.endpoint,
      other,
      'mutation($b: String!) { uploadUrl(bucket: $b, key: "k") { url } }',
      { b },
    );
    assert.equal(errorCode(foreign), 'AccessDenied');
  });

  it('uploadUrl uses the Host the client reached the server at', async () => {
    const b = await newBucket();
    const res = await fetch(`http://localhost:${t.port}/_strata/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Basic ' + Buffer.from(`${root.accessKey}:${root.secretKey}`).toString('base64'),
      },
      body: JSON.stringify({ query: `mutation { uploadUrl(bucket: "${b}", key: "h.txt") { url } }` }),
    });
    const url = ((await res.json()) as { data: { uploadUrl: { url: string } } }).data.uploadUrl.url;
    assert.ok(url.startsWith(`http://localhost:${t.port}/${b}/h.txt?`), url);
    const put = await fetch(url, { method: 'PUT', body: 'via localhost' });
    assert.equal(put.status, 200);
    await put.arrayBuffer();
  });
});
