/**
 * Partial reads end to end through the real S3Client: Range on GetObject and
 * HeadObject (206, the forms served whole, 416), and partNumber on multipart
 * and single-part objects.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { bodyBytes, bodyText, errorHeader, rejectsWith } from '../helpers/object-kit.js';
import { strataSuite } from '../helpers/strata-suite.js';

const MiB = 1024 * 1024;

describe('objects', () => {
  const suite = strataSuite({ bucketPrefix: 'obj' });
  const { newBucket, put } = suite;
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
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
});
