/**
 * Object tagging (x-amz-tagging, Get/Put/DeleteObjectTagging and the tags S3
 * refuses) and GetObjectAttributes end to end through the real S3Client.
 */
import {
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type ObjectAttributes,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bodyBytes, quotedMd5, rejectsWith, sha256Base64 } from '../helpers/object-kit.js';
import { strataSuite } from '../helpers/strata-suite.js';

describe('objects', () => {
  const suite = strataSuite({ bucketPrefix: 'obj' });
  const { newBucket, put } = suite;
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

  describe('object tagging', () => {
    it('sets tags with x-amz-tagging, reads, replaces and deletes them', async () => {
      const b = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 't', Body: 'x', Tagging: 'a=1&b=two%20words' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 't' }));
      assert.equal(got.TagCount, 2);
      await bodyBytes(got.Body);
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }));
      assert.deepEqual(tags.TagSet, [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: 'two words' },
      ]);
      await s3.send(
        new PutObjectTaggingCommand({
          Bucket: b,
          Key: 't',
          Tagging: { TagSet: [{ Key: 'only', Value: 'this' }] },
        }),
      );
      assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet, [
        { Key: 'only', Value: 'this' },
      ]);
      const del = await s3.send(new DeleteObjectTaggingCommand({ Bucket: b, Key: 't' }));
      assert.equal(del.$metadata.httpStatusCode, 204);
      assert.deepEqual(
        (await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet ?? [],
        [],
      );
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: b, Key: 't' }))).TagCount, undefined);
    });

    const bad: Array<{ name: string; TagSet: Array<{ Key: string; Value: string }>; code: string }> = [
      { name: 'an aws: key', TagSet: [{ Key: 'aws:x', Value: 'v' }], code: 'InvalidTag' },
      { name: 'a 129-character key', TagSet: [{ Key: 'k'.repeat(129), Value: 'v' }], code: 'InvalidTag' },
      { name: 'a 257-character value', TagSet: [{ Key: 'k', Value: 'v'.repeat(257) }], code: 'InvalidTag' },
      {
        name: 'a repeated key',
        TagSet: [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
        code: 'InvalidTag',
      },
      {
        name: '11 tags',
        TagSet: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
        code: 'BadRequest',
      },
    ];
    for (const c of bad) {
      it(`PutObjectTagging with ${c.name} → ${c.code}, tags unchanged`, async () => {
        const b = await newBucket();
        await s3.send(new PutObjectCommand({ Bucket: b, Key: 't', Body: 'x', Tagging: 'keep=me' }));
        await rejectsWith(
          s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 't', Tagging: { TagSet: c.TagSet } })),
          c.code,
          400,
        );
        assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 't' }))).TagSet, [
          { Key: 'keep', Value: 'me' },
        ]);
      });
    }

    it('tagging a missing key → NoSuchKey', async () => {
      const b = await newBucket();
      await rejectsWith(s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'nope' })), 'NoSuchKey', 404);
      await rejectsWith(
        s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 'nope', Tagging: { TagSet: [] } })),
        'NoSuchKey',
        404,
      );
    });
  });

  describe('GetObjectAttributes', () => {
    it('returns the requested attributes, ETag without quotes', async () => {
      const b = await newBucket();
      await s3.send(
        new PutObjectCommand({
          Bucket: b,
          Key: 'a',
          Body: 'attributes',
          ChecksumAlgorithm: 'SHA256',
          StorageClass: 'STANDARD',
        }),
      );
      const res = await s3.send(
        new GetObjectAttributesCommand({
          Bucket: b,
          Key: 'a',
          ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass', 'ObjectParts'],
        }),
      );
      assert.equal(res.ETag, quotedMd5('attributes').slice(1, -1));
      assert.equal(res.ObjectSize, 10);
      assert.equal(res.StorageClass, 'STANDARD');
      assert.equal(res.Checksum?.ChecksumSHA256, sha256Base64('attributes'));
      assert.equal(res.ObjectParts, undefined, 'not a multipart object');
      assert.ok(res.LastModified instanceof Date);
      const some = await s3.send(
        new GetObjectAttributesCommand({ Bucket: b, Key: 'a', ObjectAttributes: ['ObjectSize'] }),
      );
      assert.equal(some.ObjectSize, 10);
      assert.equal(some.ETag, undefined);
    });

    it('refuses an unknown attribute and a missing key', async () => {
      const b = await newBucket();
      await put(b, 'a');
      await rejectsWith(
        s3.send(
          new GetObjectAttributesCommand({
            Bucket: b,
            Key: 'a',
            ObjectAttributes: ['Bogus' as ObjectAttributes],
          }),
        ),
        'InvalidArgument',
        400,
      );
      await rejectsWith(
        s3.send(new GetObjectAttributesCommand({ Bucket: b, Key: 'nope', ObjectAttributes: ['ETag'] })),
        'NoSuchKey',
        404,
      );
    });
  });
});
