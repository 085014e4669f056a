/**
 * CopyObject end to end: directives, source encoding and versions, access to
 * the source bucket, and the errors S3 answers.
 */
import {
  CopyObjectCommand,
  type CopyObjectCommandInput,
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bodyText,
  emptyAndDeleteBucket,
  quotedMd5,
  rejectsWith,
  sha256Base64,
} from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

describe('CopyObject', () => {
  let strata: TestStrata;
  let s3: S3Client;
  let src: string;
  let dst: string;

  before(async () => {
    strata = await startStrata();
    s3 = strata.s3;
    src = bucketName('src');
    dst = bucketName('dst');
    await s3.send(new CreateBucketCommand({ Bucket: src }));
    await s3.send(new CreateBucketCommand({ Bucket: dst }));
    await s3.send(
      new PutObjectCommand({
        Bucket: src,
        Key: 'orig.txt',
        Body: 'original body',
        ContentType: 'text/plain',
        CacheControl: 'max-age=5',
        Metadata: { origin: 'source' },
        Tagging: 'stage=src',
      }),
    );
  });
  after(async () => {
    await emptyAndDeleteBucket(s3, src);
    await emptyAndDeleteBucket(s3, dst);
    await strata.close();
  });

  const copy = (input: Partial<CopyObjectCommandInput> & { Key: string }) =>
    s3.send(new CopyObjectCommand({ Bucket: dst, CopySource: `${src}/orig.txt`, ...input }));
  const text = async (Bucket: string, Key: string) =>
    bodyText((await s3.send(new GetObjectCommand({ Bucket, Key }))).Body);

  it('copies bytes, metadata and tags across buckets by default (COPY)', async () => {
    const res = await copy({ Key: 'copied.txt' });
    assert.equal(res.CopyObjectResult?.ETag, quotedMd5('original body'));
    assert.ok(res.CopyObjectResult?.LastModified instanceof Date);
    assert.equal(res.VersionId, undefined);
    assert.equal(res.CopySourceVersionId, undefined);
    assert.equal(await text(dst, 'copied.txt'), 'original body');
    const head = await s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'copied.txt' }));
    assert.equal(head.ContentType, 'text/plain');
    assert.equal(head.CacheControl, 'max-age=5');
    assert.deepEqual(head.Metadata, { origin: 'source' });
    assert.deepEqual(
      (await s3.send(new GetObjectTaggingCommand({ Bucket: dst, Key: 'copied.txt' }))).TagSet,
      [{ Key: 'stage', Value: 'src' }],
    );
  });

  it('COPY ignores metadata headers sent with the request', async () => {
    await copy({ Key: 'ignored.txt', Metadata: { other: 'x' }, ContentType: 'application/json' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'ignored.txt' }));
    assert.equal(head.ContentType, 'text/plain');
    assert.deepEqual(head.Metadata, { origin: 'source' });
  });

  it('REPLACE takes metadata and Content-* from the request; tagging REPLACE takes x-amz-tagging', async () => {
    await copy({
      Key: 'replaced.txt',
      MetadataDirective: 'REPLACE',
      ContentType: 'application/json',
      Metadata: { fresh: 'yes' },
      TaggingDirective: 'REPLACE',
      Tagging: 'stage=dst&new=1',
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'replaced.txt' }));
    assert.equal(head.ContentType, 'application/json');
    assert.equal(head.CacheControl, undefined);
    assert.deepEqual(head.Metadata, { fresh: 'yes' });
    assert.deepEqual(
      (await s3.send(new GetObjectTaggingCommand({ Bucket: dst, Key: 'replaced.txt' }))).TagSet,
      [
        { Key: 'stage', Value: 'dst' },
        { Key: 'new', Value: '1' },
      ],
    );
    assert.equal(await text(dst, 'replaced.txt'), 'original body');
  });

  it('accepts "/bucket/key" and URL-encoded keys with special characters', async () => {
    const key = 'dir/ünï cödé+%?.txt';
    await s3.send(new PutObjectCommand({ Bucket: src, Key: key, Body: 'special' }));
    for (const source of [`${src}/${encodeURIComponent(key)}`, `/${src}/${encodeURIComponent(key)}`]) {
      await s3.send(new CopyObjectCommand({ Bucket: dst, Key: 'special-copy', CopySource: source }));
      assert.equal(await text(dst, 'special-copy'), 'special');
    }
  });

  it('asks for a checksum algorithm on the copy', async () => {
    const res = await copy({ Key: 'summed.txt', ChecksumAlgorithm: 'SHA256' });
    assert.equal(res.CopyObjectResult?.ChecksumSHA256, sha256Base64('original body'));
  });

  it('copying an object onto itself without changes is InvalidRequest; with REPLACE it works', async () => {
    await rejectsWith(
      s3.send(new CopyObjectCommand({ Bucket: src, Key: 'orig.txt', CopySource: `${src}/orig.txt` })),
      'InvalidRequest',
      400,
    );
    await s3.send(new PutObjectCommand({ Bucket: dst, Key: 'self', Body: 'me', Metadata: { v: '1' } }));
    await s3.send(
      new CopyObjectCommand({
        Bucket: dst,
        Key: 'self',
        CopySource: `${dst}/self`,
        MetadataDirective: 'REPLACE',
        Metadata: { v: '2' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'self' }));
    assert.deepEqual(head.Metadata, { v: '2' });
    assert.equal(await text(dst, 'self'), 'me');
  });

  const failures: Array<{ name: string; input: () => CopyObjectCommandInput; code: string; status: number }> =
    [
      {
        name: 'a missing source key',
        input: () => ({ Bucket: dst, Key: 'x', CopySource: `${src}/nope` }),
        code: 'NoSuchKey',
        status: 404,
      },
      {
        name: 'a missing source bucket',
        input: () => ({ Bucket: dst, Key: 'x', CopySource: `${bucketName('gone')}/k` }),
        code: 'NoSuchBucket',
        status: 404,
      },
      {
        name: 'a source without a key',
        input: () => ({ Bucket: dst, Key: 'x', CopySource: src }),
        code: 'InvalidArgument',
        status: 400,
      },
      {
        name: 'an unknown metadata directive',
        input: () => ({
          Bucket: dst,
          Key: 'x',
          CopySource: `${src}/orig.txt`,
          MetadataDirective: 'MERGE' as CopyObjectCommandInput['MetadataDirective'],
        }),
        code: 'InvalidArgument',
        status: 400,
      },
      {
        name: 'an unknown tagging directive',
        input: () => ({
          Bucket: dst,
          Key: 'x',
          CopySource: `${src}/orig.txt`,
          TaggingDirective: 'KEEP' as CopyObjectCommandInput['TaggingDirective'],
        }),
        code: 'InvalidArgument',
        status: 400,
      },
      {
        name: 'a well-formed but unknown source version',
        input: () => ({
          Bucket: dst,
          Key: 'x',
          CopySource: `${src}/orig.txt?versionId=01ARZ3NDEKTSV4RRFFQ69G5FAV`,
        }),
        code: 'NoSuchVersion',
        status: 404,
      },
      {
        name: 'a destination key over 1024 bytes',
        input: () => ({ Bucket: dst, Key: 'k'.repeat(1025), CopySource: `${src}/orig.txt` }),
        code: 'KeyTooLongError',
        status: 400,
      },
    ];
  for (const f of failures) {
    it(`${f.name} → ${f.code}, nothing written`, async () => {
      await rejectsWith(s3.send(new CopyObjectCommand(f.input())), f.code, f.status);
      await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: dst, Key: 'x' })), 'NotFound', 404);
    });
  }

  it("refuses to copy from another user's bucket (AccessDenied)", async () => {
    strata.node.store.createUser('mallory', 'MALLORYACCESSKEY', 'mallory-secret-key');
    const mallory = strata.client('MALLORYACCESSKEY', 'mallory-secret-key');
    const own = bucketName('mal');
    await mallory.send(new CreateBucketCommand({ Bucket: own }));
    await rejectsWith(
      mallory.send(new CopyObjectCommand({ Bucket: own, Key: 'stolen', CopySource: `${src}/orig.txt` })),
      'AccessDenied',
      403,
    );
    await emptyAndDeleteBucket(mallory, own);
  });
});
