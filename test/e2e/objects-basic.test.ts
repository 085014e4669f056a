/**
 * Object basics end to end through the real S3Client: PutObject, GetObject
 * and HeadObject (bytes, ETag, metadata and Content-* headers, keys, storage
 * class), DeleteObject and DeleteObjects, with the errors S3 answers.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { bodyBytes, bodyText, md5Base64, quotedMd5, rejectsWith } from '../helpers/object-kit.js';
import { bucketName } from '../helpers/strata.js';
import { strataSuite } from '../helpers/strata-suite.js';

const MiB = 1024 * 1024;

describe('objects', () => {
  const suite = strataSuite({ bucketPrefix: 'obj' });
  const { newBucket, put, get } = suite;
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

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
});
