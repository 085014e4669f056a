/**
 * GraphQL queries against objects written through the real S3 client:
 * buckets, object metadata, cursor pagination, versions, configuration, and
 * how errors reach clients (S3 codes kept, internal errors masked).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketCorsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { errorCode, gql, gqlData } from './graphql-kit.js';

interface Listing {
  items: { key: string; versionId?: string; isDeleteMarker?: boolean; isLatest?: boolean }[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextCursor: string | null;
}

describe('GraphQL queries', () => {
  let t: TestStrata;
  let root: { accessKey: string; secretKey: string };

  before(async () => {
    t = await startStrata();
    root = { accessKey: t.accessKey, secretKey: t.secretKey };
  });
  after(async () => {
    await t?.close();
  });

  const newBucket = async () => {
    const b = bucketName('gq');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    return b;
  };
  const put = (Bucket: string, Key: string, Body = 'x') =>
    t.s3.send(new PutObjectCommand({ Bucket, Key, Body }));

  it('lists only the caller’s buckets, by name', async () => {
    const [b1, b2] = [await newBucket(), await newBucket()];
    const d = await gqlData<{ buckets: { name: string; owner: { displayName: string }; region: string }[] }>(
      t.endpoint,
      root,
      '{ buckets { name region owner { displayName } } }',
    );
    const names = d.buckets.map((b) => b.name);
    assert.ok(names.includes(b1) && names.includes(b2));
    assert.deepEqual(names, [...names].sort());
    assert.ok(d.buckets.every((b) => b.owner.displayName === 'root' && b.region === 'us-east-1'));
    const other = { accessKey: 'GQLQUERYOTHER', secretKey: 'other-secret-key' };
    t.node.store.createUser('gql-query-other', other.accessKey, other.secretKey);
    assert.deepEqual(
      (await gqlData<{ buckets: unknown[] }>(t.endpoint, other, '{ buckets { name } }')).buckets,
      [],
    );
  });

  it('shows an object’s metadata, tags and checksum as S3 stored them', async () => {
    const b = await newBucket();
    const out = await t.s3.send(
      new PutObjectCommand({
        Bucket: b,
        Key: 'docs/report 1.txt',
        Body: 'hello graphql',
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        Metadata: { color: 'blue', 'z-last': '1' },
        Tagging: 'team=data&tier=hot',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const before = Date.now();
    const d = await gqlData<{ object: Record<string, unknown> }>(
      t.endpoint,
      root,
      `query($b: String!, $k: String!) { object(bucket: $b, key: $k) {
        bucket key versionId isLatest isDeleteMarker size eTag lastModified contentType cacheControl
        storageClass userMetadata { name value } tags { key value } checksum { algorithm value type }
        partsCount owner { displayName } } }`,
      { b, k: 'docs/report 1.txt' },
    );
    const o = d.object;
    assert.equal(o['key'], 'docs/report 1.txt');
    assert.equal(o['bucket'], b);
    assert.equal(o['versionId'], 'null');
    assert.equal(o['isLatest'], true);
    assert.equal(o['isDeleteMarker'], false);
    assert.equal(o['size'], 13);
    assert.equal(`"${String(o['eTag'])}"`, out.ETag);
    assert.ok(Math.abs(Date.parse(String(o['lastModified'])) - before) < 60_000);
    assert.equal(o['contentType'], 'text/plain');
    assert.equal(o['cacheControl'], 'max-age=60');
    assert.equal(o['storageClass'], 'STANDARD');
    assert.deepEqual(o['userMetadata'], [
      { name: 'color', value: 'blue' },
      { name: 'z-last', value: '1' },
    ]);
    assert.deepEqual(o['tags'], [
      { key: 'team', value: 'data' },
      { key: 'tier', value: 'hot' },
    ]);
    assert.deepEqual(o['checksum'], { algorithm: 'SHA256', value: out.ChecksumSHA256, type: 'FULL_OBJECT' });
    assert.equal(o['partsCount'], null);
    assert.deepEqual(o['owner'], { displayName: 'root' });

    const missing = await gql(
      t.endpoint,
      root,
      'query($b: String!) { object(bucket: $b, key: "nope") { key } }',
      { b },
    );
    assert.equal(errorCode(missing), 'NoSuchKey');
  });

  it('pages through objects with first/after, prefixes and delimiters', async () => {
    const b = await newBucket();
    const keys = ['a/1', 'a/2', 'a/3', 'b/1', 'b/2', 'c', 'd', 'e'];
    for (const k of keys) await put(b, k);
    const query = `query($b: String!, $p: String, $d: String, $n: Int, $after: String) {
      bucket(name: $b) { objects(prefix: $p, delimiter: $d, first: $n, after: $after) {
        items { key } commonPrefixes isTruncated nextCursor } } }`;
    const page = async (vars: Record<string, unknown>) =>
      (await gqlData<{ bucket: { objects: Listing } }>(t.endpoint, root, query, { b, ...vars })).bucket
        .objects;

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const p: Listing = await page({ n: 3, after });
      seen.push(...p.items.map((i) => i.key));
      assert.equal(p.isTruncated, p.nextCursor !== null);
      after = p.nextCursor;
      pages++;
    } while (after !== null);
    assert.deepEqual(seen, keys);
    assert.equal(pages, 3);

    const rolled = await page({ d: '/', n: 3 });
    assert.deepEqual(rolled.commonPrefixes, ['a/', 'b/']);
    assert.deepEqual(
      rolled.items.map((i) => i.key),
      ['c'],
    );
    assert.equal(rolled.isTruncated, true);
    const rest = await page({ d: '/', n: 3, after: rolled.nextCursor });
    assert.deepEqual(
      rest.items.map((i) => i.key),
      ['d', 'e'],
    );
    assert.equal(rest.isTruncated, false);
    assert.equal(rest.nextCursor, null);

    const inA = await page({ p: 'a/' });
    assert.deepEqual(
      inA.items.map((i) => i.key),
      ['a/1', 'a/2', 'a/3'],
    );

    const bad = await gql(t.endpoint, root, query, { b, after: 'not-a-cursor' });
    assert.equal(errorCode(bad), 'InvalidArgument');
    const tooMany = await gql(t.endpoint, root, query, { b, n: 1001 });
    assert.equal(errorCode(tooMany), 'InvalidArgument');
  });

  it('lists versions and delete markers, per bucket and per key', async () => {
    const b = await newBucket();
    await t.s3.send(
      new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = (await put(b, 'k', 'one')).VersionId!;
    const v2 = (await put(b, 'k', 'two!')).VersionId!;
    await put(b, 'k2', 'other');
    const marker = (await t.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }))).VersionId!;

    const d = await gqlData<{
      bucket: { versioning: string; versions: Listing };
    }>(
      t.endpoint,
      root,
      `query($b: String!) { bucket(name: $b) { versioning versions(first: 2) {
        items { key versionId isDeleteMarker isLatest } isTruncated nextCursor } } }`,
      { b },
    );
    assert.equal(d.bucket.versioning, 'Enabled');
    assert.deepEqual(
      d.bucket.versions.items.map((i) => [i.key, i.versionId, i.isDeleteMarker, i.isLatest]),
      [
        ['k', marker, true, true],
        ['k', v2, false, false],
      ],
    );
    assert.equal(d.bucket.versions.isTruncated, true);
    const next = await gqlData<{ bucket: { versions: Listing } }>(
      t.endpoint,
      root,
      'query($b: String!, $a: String) { bucket(name: $b) { versions(first: 10, after: $a) { items { key versionId } isTruncated } } }',
      { b, a: d.bucket.versions.nextCursor },
    );
    assert.deepEqual(
      next.bucket.versions.items.map((i) => [i.key, i.versionId]),
      [
        ['k', v1],
        ['k2', next.bucket.versions.items[1]!.versionId],
      ],
    );

    const gone = await gql(t.endpoint, root, 'query($b: String!) { object(bucket: $b, key: "k") { key } }', {
      b,
    });
    assert.equal(errorCode(gone), 'NoSuchKey');
    const old = await gqlData<{ object: { size: number; versions: { items: { versionId: string }[] } } }>(
      t.endpoint,
      root,
      'query($b: String!, $v: String) { object(bucket: $b, key: "k", versionId: $v) { size versions { items { versionId } } } }',
      { b, v: v1 },
    );
    assert.equal(old.object.size, 3);
    // Only k's versions, not k2's, although "k2" starts with "k".
    assert.deepEqual(
      old.object.versions.items.map((i) => i.versionId),
      [marker, v2, v1],
    );
    const noVersion = await gql(
      t.endpoint,
      root,
      'query($b: String!) { object(bucket: $b, key: "k", versionId: "no-such-version") { key } }',
      { b },
    );
    assert.ok(['NoSuchVersion', 'InvalidArgument'].includes(errorCode(noVersion)!));
  });

  it('shows the bucket configuration set through S3', async () => {
    const b = await newBucket();
    await t.s3.send(
      new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    await t.s3.send(
      new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'env', Value: 'test' }] } }),
    );
    await t.s3.send(
      new PutBucketCorsCommand({
        Bucket: b,
        CORSConfiguration: {
          CORSRules: [
            {
              ID: 'web',
              AllowedMethods: ['GET'],
              AllowedOrigins: ['https://app.example'],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
    const d = await gqlData<{ bucket: { configuration: Record<string, unknown> } }>(
      t.endpoint,
      root,
      `query($b: String!) { bucket(name: $b) { configuration {
        versioning tags { key value }
        cors { id allowedMethods allowedOrigins allowedHeaders exposeHeaders maxAgeSeconds }
        notification { rules { id } } } } }`,
      { b },
    );
    assert.deepEqual(d.bucket.configuration, {
      versioning: 'Suspended',
      tags: [{ key: 'env', value: 'test' }],
      cors: [
        {
          id: 'web',
          allowedMethods: ['GET'],
          allowedOrigins: ['https://app.example'],
          allowedHeaders: [],
          exposeHeaders: [],
          maxAgeSeconds: 600,
        },
      ],
      notification: { rules: [] },
    });
  });

  it('masks unexpected errors: InternalError, an errorId, no internal message', async () => {
    const store = t.node.store;
    const original = store.listBuckets.bind(store);
    store.listBuckets = () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/strata/secret-path');
    };
    try {
      const res = await fetch(`${t.endpoint}/_strata/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Basic ' + Buffer.from(`${root.accessKey}:${root.secretKey}`).toString('base64'),
        },
        body: JSON.stringify({ query: '{ me { displayName } buckets { name } }' }),
      });
      const text = await res.text();
      assert.doesNotMatch(text, /SQLITE|secret-path|stack|at /);
      const body = JSON.parse(text) as {
        data: unknown;
        errors: { message: string; extensions: Record<string, unknown> }[];
      };
      assert.equal(body.errors[0]!.extensions['code'], 'InternalError');
      assert.match(String(body.errors[0]!.extensions['errorId']), /^[0-9A-F]{16}$/);
      assert.equal(body.errors[0]!.message, 'We encountered an internal error. Please try again.');
      // buckets is non-null, so its error nulls the whole result (GraphQL's null propagation).
      assert.equal(body.data, null);
    } finally {
      store.listBuckets = original;
    }
  });

  it('keeps GraphQL’s own errors (syntax, unknown fields) readable', async () => {
    const syntax = await gql(t.endpoint, root, '{ buckets { name ');
    assert.match(syntax.errors![0]!.message, /Syntax Error/);
    const unknown = await gql(t.endpoint, root, '{ buckets { nope } }');
    assert.match(unknown.errors![0]!.message, /Cannot query field "nope"/);
  });
});
