/**
 * Object operations end to end through the real S3Client: PutObject,
 * GetObject, HeadObject, DeleteObject(s), tagging and GetObjectAttributes,
 * with the errors S3 answers for bad input.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type ObjectAttributes,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type StorageClass,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  bodyBytes,
  bodyText,
  emptyAndDeleteBucket,
  errorHeader,
  md5Base64,
  quotedMd5,
  rejectsWith,
  sha256Base64,
} from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

const MiB = 1024 * 1024;

describe('objects', () => {
  let strata: TestStrata;
  let s3: S3Client;
  const buckets: string[] = [];

  before(async () => {
    strata = await startStrata();
    s3 = strata.s3;
  });
  after(async () => {
    for (const b of buckets) await emptyAndDeleteBucket(s3, b);
    await strata.close();
  });

  async function newBucket(): Promise<string> {
    const b = bucketName('obj');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    buckets.push(b);
    return b;
  }

  const put = (Bucket: string, Key: string, Body: string | Buffer = 'hello world') =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body }));
  const get = async (Bucket: string, Key: string) =>
    bodyText((await s3.send(new GetObjectCommand({ Bucket, Key }))).Body);

  describe('PutObject / GetObject / HeadObject', () => {
    it('round-trips bytes, ETag, user metadata and Content-* headers', async () => {
      const b = await newBucket();
      const body = 'the quick brown fox';
      const res = await s3.send(
        new PutObjectCommand({
          Bucket: b,
          Key: 'doc.txt',
          Body: body,
          ContentType: 'text/plain; charset=utf-8',
          ContentDisposition: 'attachment; filename="doc.txt"',
          ContentLanguage: 'en-GB',
          CacheControl: 'max-age=60',
          ContentEncoding: 'identity',
          Expires: new Date('2030-01-02T03:04:05Z'),
          Metadata: { color: 'blue', 'Mixed-Case': 'Value With Spaces' },
        }),
      );
      assert.equal(res.ETag, quotedMd5(body));
      assert.equal(res.VersionId, undefined, 'no version id without versioning');
      for (const out of [
        await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'doc.txt' })),
        await s3.send(new GetObjectCommand({ Bucket: b, Key: 'doc.txt' })),
      ]) {
        assert.equal(out.ETag, quotedMd5(body));
        assert.equal(out.ContentLength, body.length);
        assert.equal(out.ContentType, 'text/plain; charset=utf-8');
        assert.equal(out.ContentDisposition, 'attachment; filename="doc.txt"');
        assert.equal(out.ContentLanguage, 'en-GB');
        assert.equal(out.CacheControl, 'max-age=60');
        assert.equal(out.ContentEncoding, 'identity');
        assert.equal(out.ExpiresString, 'Wed, 02 Jan 2030 03:04:05 GMT');
        assert.deepEqual(out.Metadata, { color: 'blue', 'mixed-case': 'Value With Spaces' });
        assert.equal(out.AcceptRanges, 'bytes');
        assert.equal(out.StorageClass, undefined, 'STANDARD is not sent');
        assert.equal(out.VersionId, undefined);
        assert.ok(out.LastModified instanceof Date);
        assert.ok(Math.abs(out.LastModified.getTime() - Date.now()) < 60_000);
      }
      assert.equal(await get(b, 'doc.txt'), body);
    });

    it('stores binary/octet-stream when no Content-Type is sent', async () => {
      const b = await newBucket();
      const cmd = new PutObjectCommand({ Bucket: b, Key: 'raw', Body: Buffer.from([1, 2, 3]) });
      cmd.middlewareStack.add(
        (next) => async (args) => {
          const h = (args.request as { headers: Record<string, string> }).headers;
          for (const n of Object.keys(h)) if (n.toLowerCase() === 'content-type') delete h[n];
          return next(args);
        },
        { step: 'build', priority: 'low', name: 'dropContentType' },
      );
      await s3.send(cmd);
      const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'raw' }));
      assert.equal(head.ContentType, 'binary/octet-stream');
    });

    it('overwrites an existing key', async () => {
      const b = await newBucket();
      await put(b, 'k', 'one');
      await put(b, 'k', 'two');
      assert.equal(await get(b, 'k'), 'two');
    });

    it('stores 0-byte objects', async () => {
      const b = await newBucket();
      const res = await put(b, 'empty', '');
      assert.equal(res.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
      const out = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'empty' }));
      assert.equal(out.ContentLength, 0);
      assert.equal((await bodyBytes(out.Body)).length, 0);
    });

    it('streams a 20 MB object in and out unchanged', async () => {
      const b = await newBucket();
      const size = 20 * MiB;
      const sent = createHash('sha256');
      let left = size;
      const source = new Readable({
        read() {
          if (left === 0) return void this.push(null);
          const chunk = randomBytes(Math.min(256 * 1024, left));
          left -= chunk.length;
          sent.update(chunk);
          this.push(chunk);
        },
      });
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'big.bin', Body: source, ContentLength: size }));
      const out = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'big.bin' }));
      assert.equal(out.ContentLength, size);
      const got = createHash('sha256');
      let n = 0;
      for await (const c of out.Body as Readable) {
        got.update(c as Buffer);
        n += (c as Buffer).length;
      }
      assert.equal(n, size);
      assert.equal(got.digest('hex'), sent.digest('hex'));
    });

    it('round-trips keys with unicode, spaces, +, %, ../ and a leading /', async () => {
      const b = await newBucket();
      const keys = [
        'unicode-ключ-日本語-😀',
        'with space/and more spaces',
        'plus+sign+',
        'percent%20literal%',
        '../../etc/passwd',
        '/leading-slash',
        'a//double//slash',
        'question?mark&amp=eq#hash',
        'quote\'sand"dq',
        'trailing-slash/',
        'tilde~star*paren()',
      ];
      for (const key of keys) {
        await put(b, key, `body of ${key}`);
        assert.equal(await get(b, key), `body of ${key}`, key);
        const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: key }));
        assert.equal(head.ContentLength, Buffer.byteLength(`body of ${key}`), key);
      }
      for (const key of keys) {
        await s3.send(new DeleteObjectCommand({ Bucket: b, Key: key }));
        await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: key })), 'NoSuchKey', 404);
      }
    });

    it('answers NoSuchKey for GET and 404 for HEAD of a missing key', async () => {
      const b = await newBucket();
      await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'nope' })), 'NoSuchKey', 404);
      await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'nope' })), 'NotFound', 404);
    });

    it('answers NoSuchBucket for a missing bucket', async () => {
      await rejectsWith(put(bucketName('missing'), 'k'), 'NoSuchBucket', 404);
    });

    it('applies response-* overrides on GET', async () => {
      const b = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'o', Body: 'x', ContentType: 'text/plain' }));
      const out = await s3.send(
        new GetObjectCommand({
          Bucket: b,
          Key: 'o',
          ResponseContentType: 'application/json',
          ResponseContentLanguage: 'fr',
          ResponseExpires: new Date('2031-05-06T07:08:09Z'),
          ResponseCacheControl: 'no-cache',
          ResponseContentDisposition: 'inline; filename="x.json"',
          ResponseContentEncoding: 'identity',
        }),
      );
      assert.equal(out.ContentType, 'application/json');
      assert.equal(out.ContentLanguage, 'fr');
      assert.equal(out.ExpiresString, 'Tue, 06 May 2031 07:08:09 GMT');
      assert.equal(out.CacheControl, 'no-cache');
      assert.equal(out.ContentDisposition, 'inline; filename="x.json"');
      assert.equal(out.ContentEncoding, 'identity');
      assert.equal(await bodyText(out.Body), 'x');
    });

    it('keeps the storage class and refuses an unknown one', async () => {
      const b = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: b, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'ia' }));
      assert.equal(head.StorageClass, 'STANDARD_IA');
      await rejectsWith(
        s3.send(
          new PutObjectCommand({ Bucket: b, Key: 'bad', Body: 'x', StorageClass: 'BOGUS' as StorageClass }),
        ),
        'InvalidStorageClass',
        400,
      );
    });
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

  describe('Range', () => {
    const body = '0123456789';
    const cases: Array<{ range: string; status: number; text: string; contentRange?: string }> = [
      { range: 'bytes=0-4', status: 206, text: '01234', contentRange: 'bytes 0-4/10' },
      { range: 'bytes=7-', status: 206, text: '789', contentRange: 'bytes 7-9/10' },
      { range: 'bytes=-3', status: 206, text: '789', contentRange: 'bytes 7-9/10' },
      { range: 'bytes=8-100', status: 206, text: '89', contentRange: 'bytes 8-9/10' },
      { range: 'bytes=-50', status: 206, text: body, contentRange: 'bytes 0-9/10' },
      { range: 'bytes=0-1,4-5', status: 200, text: body },
      { range: 'bytes=5-2', status: 200, text: body },
      { range: 'lines=1-2', status: 200, text: body },
    ];
    for (const c of cases) {
      it(`${c.range} → ${c.status}`, async () => {
        const b = await newBucket();
        await put(b, 'r', body);
        const out = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'r', Range: c.range }));
        assert.equal(out.$metadata.httpStatusCode, c.status);
        assert.equal(out.ContentRange, c.contentRange);
        assert.equal(out.ContentLength, c.text.length);
        assert.equal(await bodyText(out.Body), c.text);
      });
    }

    it('HEAD honours Range too', async () => {
      const b = await newBucket();
      await put(b, 'r', body);
      const out = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'r', Range: 'bytes=2-3' }));
      assert.equal(out.$metadata.httpStatusCode, 206);
      assert.equal(out.ContentLength, 2);
      assert.equal(out.ContentRange, 'bytes 2-3/10');
    });

    const unsatisfiable: Array<{ name: string; body: string; range: string }> = [
      { name: 'a start past the end', body, range: 'bytes=10-' },
      { name: 'a zero-length suffix', body, range: 'bytes=-0' },
      { name: 'any range of an empty object', body: '', range: 'bytes=0-' },
    ];
    for (const c of unsatisfiable) {
      it(`${c.name} → 416 InvalidRange with Content-Range: bytes */size`, async () => {
        const b = await newBucket();
        await put(b, 'r', c.body);
        const e = await rejectsWith(
          s3.send(new GetObjectCommand({ Bucket: b, Key: 'r', Range: c.range })),
          'InvalidRange',
          416,
        );
        assert.equal(errorHeader(e, 'content-range'), `bytes */${c.body.length}`);
      });
    }
  });

  describe('partNumber', () => {
    it('serves one part of a multipart object, and a single-part object as part 1', async () => {
      const b = await newBucket();
      const parts = [randomBytes(5 * MiB), randomBytes(100)];
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'mp' }));
      const done = [];
      for (const [i, p] of parts.entries()) {
        const r = await s3.send(
          new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: i + 1, Body: p }),
        );
        done.push({ PartNumber: i + 1, ETag: r.ETag });
      }
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: b,
          Key: 'mp',
          UploadId,
          MultipartUpload: { Parts: done },
        }),
      );
      const total = 5 * MiB + 100;
      const p2 = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 2 }));
      assert.equal(p2.$metadata.httpStatusCode, 206);
      assert.equal(p2.PartsCount, 2);
      assert.equal(p2.ContentLength, 100);
      assert.equal(p2.ContentRange, `bytes ${5 * MiB}-${total - 1}/${total}`);
      assert.deepEqual(await bodyBytes(p2.Body), parts[1]);
      const h1 = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 1 }));
      assert.equal(h1.PartsCount, 2);
      assert.equal(h1.ContentLength, 5 * MiB);
      assert.equal(h1.ContentRange, `bytes 0-${5 * MiB - 1}/${total}`);
      await rejectsWith(
        s3.send(new GetObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 3 })),
        'InvalidPartNumber',
        416,
      );
      await rejectsWith(
        s3.send(new GetObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 1, Range: 'bytes=0-1' })),
        'InvalidRequest',
        400,
      );
      const attrs = await s3.send(
        new GetObjectAttributesCommand({
          Bucket: b,
          Key: 'mp',
          ObjectAttributes: ['ObjectParts', 'ObjectSize'],
        }),
      );
      assert.equal(attrs.ObjectParts?.TotalPartsCount, 2);
      assert.equal(attrs.ObjectSize, total);

      await put(b, 'single', 'abc');
      const one = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'single', PartNumber: 1 }));
      assert.equal(one.ContentLength, 3);
      assert.equal(await bodyText(one.Body), 'abc');
      await rejectsWith(
        s3.send(new GetObjectCommand({ Bucket: b, Key: 'single', PartNumber: 2 })),
        'InvalidPartNumber',
        416,
      );
    });
  });

  describe('DeleteObject', () => {
    it('deletes, and answers 204 for a key that does not exist', async () => {
      const b = await newBucket();
      await put(b, 'gone');
      const res = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'gone' }));
      assert.equal(res.$metadata.httpStatusCode, 204);
      assert.equal(res.DeleteMarker, undefined);
      assert.equal(res.VersionId, undefined);
      await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'gone' })), 'NoSuchKey', 404);
      const again = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'gone' }));
      assert.equal(again.$metadata.httpStatusCode, 204);
    });
  });

  describe('DeleteObjects', () => {
    it('deletes every listed key and reports each, a missing key included', async () => {
      const b = await newBucket();
      await put(b, 'a');
      await put(b, 'b c');
      const res = await s3.send(
        new DeleteObjectsCommand({
          Bucket: b,
          Delete: { Objects: [{ Key: 'a' }, { Key: 'b c' }, { Key: 'never-existed' }] },
        }),
      );
      assert.deepEqual(res.Deleted?.map((d) => d.Key).sort(), ['a', 'b c', 'never-existed']);
      assert.equal(res.Errors, undefined);
      for (const k of ['a', 'b c'])
        await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: b, Key: k })), 'NotFound', 404);
    });

    it('Quiet mode reports only errors', async () => {
      const b = await newBucket();
      await put(b, 'a');
      const res = await s3.send(
        new DeleteObjectsCommand({
          Bucket: b,
          Delete: { Quiet: true, Objects: [{ Key: 'a' }, { Key: 'b', VersionId: 'not-a-version-id' }] },
        }),
      );
      assert.equal(res.Deleted, undefined);
      assert.equal(res.Errors?.length, 1);
      assert.equal(res.Errors?.[0]?.Key, 'b');
      assert.equal(res.Errors?.[0]?.Code, 'InvalidArgument');
      await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'a' })), 'NotFound', 404);
    });

    it('refuses more than 1000 keys with MalformedXML and deletes nothing', async () => {
      const b = await newBucket();
      await put(b, 'k0');
      const Objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
      await rejectsWith(
        s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects } })),
        'MalformedXML',
        400,
      );
      assert.equal(await get(b, 'k0'), 'hello world');
    });

    const tampered: Array<{ name: string; edit: (h: Record<string, string>) => void; code: string }> = [
      {
        name: 'without Content-MD5 or checksum → InvalidRequest',
        edit: (h) => {
          for (const n of Object.keys(h))
            if (n.toLowerCase().startsWith('x-amz-checksum-') || n.toLowerCase() === 'content-md5')
              delete h[n];
          delete h['x-amz-sdk-checksum-algorithm'];
        },
        code: 'InvalidRequest',
      },
      {
        name: 'with a wrong Content-MD5 → BadDigest',
        edit: (h) => {
          for (const n of Object.keys(h)) if (n.toLowerCase().startsWith('x-amz-checksum-')) delete h[n];
          delete h['x-amz-sdk-checksum-algorithm'];
          h['content-md5'] = md5Base64('something else');
        },
        code: 'BadDigest',
      },
    ];
    for (const t of tampered) {
      it(`a Delete document ${t.name}`, async () => {
        const b = await newBucket();
        await put(b, 'keep');
        const cmd = new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'keep' }] } });
        cmd.middlewareStack.add(
          (next) => async (args) => {
            t.edit((args.request as { headers: Record<string, string> }).headers);
            return next(args);
          },
          { step: 'build', priority: 'low', name: 'tamperChecksum' },
        );
        await rejectsWith(s3.send(cmd), t.code, 400);
        assert.equal(await get(b, 'keep'), 'hello world');
      });
    }
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
