import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isS3Error } from '../../shared/errors.js';
import { decodeBodyRef } from './body-ref.js';
import { checksumOf } from './checksums.js';
import { blobFiles, body, openFixture, readAll, type StoreFixture } from './store-fixture.js';
import type { CompletePart } from './types.js';

async function code(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isS3Error(e)) return e.code;
    throw e;
  }
  return 'ok';
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();
const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('multipart uploads (small minimum part size)', () => {
  let f: StoreFixture;
  const B = 'mpu';
  beforeEach(async () => {
    f = await openFixture({ minPartSize: 10 });
    f.store.createBucket(B, f.owner, 'us-east-1');
  });
  afterEach(() => f.cleanup());

  async function upload(key: string, parts: Buffer[], checksumAlgorithm?: 'CRC32C' | 'SHA256') {
    const u = f.store.createMultipartUpload(B, key, f.owner, {
      checksumAlgorithm,
      headers: { contentType: 'text/x' },
    });
    const done: CompletePart[] = [];
    for (const [i, p] of parts.entries()) {
      const up = await f.store.uploadPart(B, key, u.uploadId, i + 1, body(p, 7), {});
      done.push({ partNumber: up.partNumber, etag: up.etag, checksum: up.checksum });
    }
    return { uploadId: u.uploadId, done };
  }

  it('completes without copying bytes: ETag, size, body, ranges across parts', async () => {
    const parts = [bytes(25, 1), bytes(10, 2), bytes(13, 3)];
    const whole = Buffer.concat(parts);
    const { uploadId, done } = await upload('obj', parts);
    const partBlobs = blobFiles(f.dataDir).published;
    const v = f.store.completeMultipartUpload(B, 'obj', uploadId, done);
    assert.equal(v.size, 48);
    const wantEtag = createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex');
    assert.equal(v.etag, `"${wantEtag}-3"`);
    assert.deepEqual(
      v.parts?.map((p) => [p.partNumber, p.size]),
      [
        [1, 25],
        [2, 10],
        [3, 13],
      ],
    );
    assert.equal(v.headers.contentType, 'text/x');
    assert.deepEqual(
      decodeBodyRef(v.bodyRef)
        .map((s) => s.id)
        .sort(),
      partBlobs,
      'the object points at the part blobs',
    );
    const head = f.store.headObject(B, 'obj');
    assert.deepEqual(await readAll(f.store.openObject(head)), whole);
    for (let start = 0; start < whole.length; start += 3) {
      for (const end of [start, start + 9, start + 24, whole.length - 1]) {
        if (end >= whole.length) continue;
        const got = await readAll(f.store.openObject(head, { start, end }));
        assert.deepEqual(got, whole.subarray(start, end + 1), `range ${start}-${end}`);
      }
    }
    assert.equal(await code(() => f.store.completeMultipartUpload(B, 'obj', uploadId, done)), 'NoSuchUpload');
    assert.equal(await code(() => f.store.getMultipartUpload(B, 'obj', uploadId)), 'NoSuchUpload');
  });

  it('frees parts that are not listed, and the old blob of a re-uploaded part', async () => {
    const { uploadId, done } = await upload('obj', [bytes(20, 1), bytes(20, 2), bytes(5, 3)]);
    const again = await f.store.uploadPart(B, 'obj', uploadId, 2, body(bytes(30, 9)), {});
    const v = f.store.completeMultipartUpload(B, 'obj', uploadId, [
      done[0] as CompletePart,
      { partNumber: 2, etag: again.etag },
    ]);
    assert.equal(v.size, 50);
    await f.store.close();
    assert.deepEqual(
      blobFiles(f.dataDir).published,
      decodeBodyRef(v.bodyRef)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('rejects bad part lists like S3 and changes nothing', async () => {
    const { uploadId, done } = await upload('obj', [bytes(20, 1), bytes(5, 2), bytes(20, 3), bytes(20, 4)]);
    const [p1, p2, p3, p4] = done as [CompletePart, CompletePart, CompletePart, CompletePart];
    const cases: [string, CompletePart[], string][] = [
      ['empty', [], 'MalformedXML'],
      ['descending', [p3, p1], 'InvalidPartOrder'],
      ['duplicate', [p1, p1], 'InvalidPartOrder'],
      ['wrong etag', [p1, { ...p3, etag: '"00000000000000000000000000000000"' }], 'InvalidPart'],
      ['unknown part', [p1, { partNumber: 9, etag: p3.etag }], 'InvalidPart'],
      ['small part not last', [p1, p2, p3], 'EntityTooSmall'],
    ];
    for (const [name, list, want] of cases) {
      assert.equal(await code(() => f.store.completeMultipartUpload(B, 'obj', uploadId, list)), want, name);
    }
    assert.equal(f.store.listParts(B, 'obj', uploadId, { maxParts: 100 }).parts.length, 4, 'nothing changed');
    assert.equal(await code(() => f.store.completeMultipartUpload(B, 'obj', uploadId, [p1, p3, p4])), 'ok');
    assert.equal(f.store.headObject(B, 'obj').size, 60);
  });

  it('abort frees every part and forgets the upload', async () => {
    const { uploadId } = await upload('obj', [bytes(20, 1), bytes(20, 2)]);
    f.store.abortMultipartUpload(B, 'obj', uploadId);
    assert.equal(await code(() => f.store.abortMultipartUpload(B, 'obj', uploadId)), 'NoSuchUpload');
    assert.equal(await code(() => f.store.uploadPart(B, 'obj', uploadId, 1, body('x'), {})), 'NoSuchUpload');
    await f.store.close();
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [] });
  });

  it('validates upload ids, keys and part numbers', async () => {
    const u = f.store.createMultipartUpload(B, 'obj', f.owner, {});
    assert.equal(await code(() => f.store.getMultipartUpload(B, 'other', u.uploadId)), 'NoSuchUpload');
    assert.equal(await code(() => f.store.getMultipartUpload(B, 'obj', 'nope')), 'NoSuchUpload');
    for (const n of [0, 10_001, 1.5]) {
      assert.equal(
        await code(() => f.store.uploadPart(B, 'obj', u.uploadId, n, body('x'), {})),
        'InvalidArgument',
        String(n),
      );
    }
  });

  it('computes COMPOSITE checksums from the part checksums', async () => {
    const parts = [bytes(20, 1), bytes(11, 2)];
    const { uploadId, done } = await upload('obj', parts, 'CRC32C');
    assert.equal(done[0]?.checksum, checksumOf('CRC32C', parts[0] as Buffer).toString('base64'));
    const v = f.store.completeMultipartUpload(B, 'obj', uploadId, done);
    const want = checksumOf('CRC32C', Buffer.concat(parts.map((p) => checksumOf('CRC32C', p)))).toString(
      'base64',
    );
    assert.deepEqual([v.checksumAlgorithm, v.checksum], ['CRC32C', `${want}-2`]);
  });

  it('lists parts page by page', async () => {
    const { uploadId } = await upload(
      'obj',
      Array.from({ length: 7 }, (_, i) => bytes(10 + i, i)),
    );
    const seen: number[] = [];
    let marker: number | undefined;
    for (;;) {
      const page = f.store.listParts(B, 'obj', uploadId, { partNumberMarker: marker, maxParts: 3 });
      seen.push(...page.parts.map((p) => p.partNumber));
      if (!page.isTruncated) break;
      marker = page.nextPartNumberMarker;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
  });

  it('uploadPartCopy copies a byte range of the source, and checks the range', async () => {
    const src = bytes(100, 5);
    await f.store.putObject(B, 'src', body(src), {});
    const u = f.store.createMultipartUpload(B, 'dst', f.owner, {});
    const { part } = await f.store.uploadPartCopy(
      B,
      'dst',
      u.uploadId,
      1,
      { bucket: B, key: 'src', range: 'bytes=10-59' },
      {},
    );
    assert.equal(part.size, 50);
    assert.equal(part.etag, `"${md5(src.subarray(10, 60)).toString('hex')}"`);
    const cases: [string, string][] = [
      ['bytes=10-100', 'InvalidArgument'],
      ['bytes=5-4', 'InvalidArgument'],
      ['10-20', 'InvalidArgument'],
    ];
    for (const [range, want] of cases) {
      assert.equal(
        await code(() =>
          f.store.uploadPartCopy(B, 'dst', u.uploadId, 2, { bucket: B, key: 'src', range }, {}),
        ),
        want,
        range,
      );
    }
    assert.equal(
      await code(() => f.store.uploadPartCopy(B, 'dst', u.uploadId, 2, { bucket: B, key: 'gone' }, {})),
      'NoSuchKey',
    );
    const v = f.store.completeMultipartUpload(B, 'dst', u.uploadId, [{ partNumber: 1, etag: part.etag }]);
    assert.deepEqual(await readAll(f.store.openObject(v)), src.subarray(10, 60));
  });
});

describe('multipart minimum part size (S3: 5 MiB)', () => {
  it('refuses a non-last part under 5 MiB with EntityTooSmall and accepts 5 MiB', async () => {
    const f = await openFixture();
    try {
      f.store.createBucket('big', f.owner, 'us-east-1');
      const u = f.store.createMultipartUpload('big', 'k', f.owner, {});
      const five = Buffer.alloc(5 * 1024 * 1024, 1);
      const p1 = await f.store.uploadPart('big', 'k', u.uploadId, 1, body(five.subarray(1)), {});
      const p2 = await f.store.uploadPart('big', 'k', u.uploadId, 2, body('tail'), {});
      const parts = [
        { partNumber: 1, etag: p1.etag },
        { partNumber: 2, etag: p2.etag },
      ];
      assert.equal(
        await code(() => f.store.completeMultipartUpload('big', 'k', u.uploadId, parts)),
        'EntityTooSmall',
      );
      const p1b = await f.store.uploadPart('big', 'k', u.uploadId, 1, body(five), {});
      const v = f.store.completeMultipartUpload('big', 'k', u.uploadId, [
        { partNumber: 1, etag: p1b.etag },
        parts[1] as CompletePart,
      ]);
      assert.equal(v.size, five.length + 4);
    } finally {
      await f.cleanup();
    }
  });
});
