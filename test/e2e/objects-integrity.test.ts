/**
 * Object writes S3 refuses (digests, metadata, tags, key and body size), which
 * change nothing, and the checksums PutObject stores and GetObject/HeadObject
 * return, end to end through the real S3Client.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  bodyText,
  emptyAndDeleteBucket,
  md5Base64,
  rejectsWith,
  sha256Base64,
} from '../helpers/object-kit.js';
import { bucketName, startStrata } from '../helpers/strata.js';
import { strataSuite } from '../helpers/strata-suite.js';

describe('objects', () => {
  const suite = strataSuite({ bucketPrefix: 'obj' });
  const { newBucket, put, get } = suite;
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

  describe('bad writes change nothing', () => {
    const cases: Array<{
      name: string;
      input: (b: string) => ConstructorParameters<typeof PutObjectCommand>[0];
      code: string;
    }> = [
      {
        name: 'wrong Content-MD5',
        input: (b) => ({ Bucket: b, Key: 'k', Body: 'new body', ContentMD5: md5Base64('other body') }),
        code: 'BadDigest',
      },
      {
        name: 'wrong x-amz-checksum-sha256',
        input: (b) => ({ Bucket: b, Key: 'k', Body: 'new body', ChecksumSHA256: sha256Base64('other body') }),
        code: 'BadDigest',
      },
      {
        name: 'user metadata over 2 KB',
        input: (b) => ({ Bucket: b, Key: 'k', Body: 'new body', Metadata: { big: 'x'.repeat(2100) } }),
        code: 'MetadataTooLarge',
      },
      {
        name: 'more than 10 tags',
        input: (b) => ({
          Bucket: b,
          Key: 'k',
          Body: 'new body',
          Tagging: Array.from({ length: 11 }, (_, i) => `t${i}=v`).join('&'),
        }),
        code: 'BadRequest',
      },
      {
        name: 'a tag key with the aws: prefix',
        input: (b) => ({ Bucket: b, Key: 'k', Body: 'new body', Tagging: 'aws%3Aowner=me' }),
        code: 'InvalidTag',
      },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.code}`, async () => {
        const b = await newBucket();
        await put(b, 'k', 'original');
        await rejectsWith(s3.send(new PutObjectCommand(c.input(b))), c.code, 400);
        assert.equal(await get(b, 'k'), 'original');
      });
    }

    it('a key over 1024 bytes → KeyTooLongError', async () => {
      const b = await newBucket();
      await rejectsWith(put(b, 'k'.repeat(1025)), 'KeyTooLongError', 400);
      await put(b, 'k'.repeat(1024));
      await rejectsWith(put(b, 'é'.repeat(513)), 'KeyTooLongError', 400);
    });

    it('a body over the configured maximum → EntityTooLarge', async () => {
      const small = await startStrata({ STRATA_MAX_OBJECT_SIZE: '1024' });
      try {
        const b = bucketName('max');
        await small.s3.send(new CreateBucketCommand({ Bucket: b }));
        await rejectsWith(
          small.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: Buffer.alloc(2048) })),
          'EntityTooLarge',
          400,
        );
        await small.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: Buffer.alloc(1024) }));
        await rejectsWith(small.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'nope' })), 'NotFound', 404);
        await emptyAndDeleteBucket(small.s3, b);
      } finally {
        await small.close();
      }
    });
  });

  describe('checksums', () => {
    const cases: Array<{
      alg: 'SHA256' | 'CRC32C';
      field: 'ChecksumSHA256' | 'ChecksumCRC32C';
      want: string;
    }> = [
      { alg: 'SHA256', field: 'ChecksumSHA256', want: sha256Base64('123456789') },
      // CRC-32C check value of "123456789" is 0xE3069283.
      { alg: 'CRC32C', field: 'ChecksumCRC32C', want: Buffer.from('e3069283', 'hex').toString('base64') },
    ];
    for (const { alg, field, want } of cases) {
      it(`PutObject with ${alg} returns it, GetObject/HeadObject with ChecksumMode ENABLED return it`, async () => {
        const b = await newBucket();
        const res = await s3.send(
          new PutObjectCommand({ Bucket: b, Key: 'c', Body: '123456789', ChecksumAlgorithm: alg }),
        );
        assert.equal(res[field], want);
        const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'c', ChecksumMode: 'ENABLED' }));
        assert.equal(got[field], want);
        assert.equal(got.ChecksumType, 'FULL_OBJECT');
        assert.equal(await bodyText(got.Body), '123456789');
        const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'c', ChecksumMode: 'ENABLED' }));
        assert.equal(head[field], want);
      });
    }
  });
});
