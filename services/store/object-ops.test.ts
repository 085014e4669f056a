import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { isS3Error } from '../../shared/errors.js';
import { checksumOf } from './checksums.js';
import { blobFiles, body, openFixture, readAll, type StoreFixture } from './store-fixture.js';
import type { PutObjectOptions } from './types.js';

const md5b64 = (s: string) => createHash('md5').update(s).digest('base64');
const crc32 = (s: string) => checksumOf('CRC32', Buffer.from(s)).toString('base64');

describe('putObject', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture();
    f.store.createBucket('put', f.owner, 'us-east-1');
  });
  after(() => f.cleanup());

  const big = Array.from({ length: 200_000 }, (_, i) => `line ${i}\n`).join('');
  const cases: { name: string; data: string; opts: PutObjectOptions; code?: string; message?: string }[] = [
    { name: 'matching Content-MD5', data: 'hello', opts: { contentMd5: md5b64('hello') } },
    { name: 'wrong Content-MD5', data: 'hello', opts: { contentMd5: md5b64('other') }, code: 'BadDigest' },
    { name: 'malformed Content-MD5', data: 'hello', opts: { contentMd5: 'abc' }, code: 'InvalidDigest' },
    { name: 'matching CRC32', data: 'hi', opts: { checksumAlgorithm: 'CRC32', checksumValue: crc32('hi') } },
    {
      name: 'wrong CRC32',
      data: 'hi',
      opts: { checksumAlgorithm: 'CRC32', checksumValue: crc32('ho') },
      code: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
    },
    {
      name: 'malformed CRC32',
      data: 'hi',
      opts: { checksumAlgorithm: 'CRC32', checksumValue: 'zz' },
      code: 'InvalidRequest',
    },
    {
      name: 'matching trailer',
      data: 'hi',
      opts: { checksumAlgorithm: 'CRC32', trailingChecksum: () => crc32('hi') },
    },
    {
      name: 'wrong trailer',
      data: 'hi',
      opts: { checksumAlgorithm: 'CRC32', trailingChecksum: () => crc32('x') },
      code: 'BadDigest',
    },
    // Over several 1 MiB write batches: each is hashed while it is written, the last while it is fsynced.
    { name: 'matching Content-MD5, 2.6 MB', data: big, opts: { contentMd5: md5b64(big) } },
    {
      name: 'wrong Content-MD5, 2.6 MB',
      data: big,
      opts: { contentMd5: md5b64('other') },
      code: 'BadDigest',
    },
    {
      name: 'wrong trailer, 2.6 MB',
      data: big,
      opts: { checksumAlgorithm: 'CRC32', trailingChecksum: () => crc32(big.slice(1)) },
      code: 'BadDigest',
    },
    { name: 'too large', data: '123456', opts: { maxSize: 5 }, code: 'EntityTooLarge' },
    { name: 'at the size limit', data: '12345', opts: { maxSize: 5 } },
    { name: 'shorter than Content-Length', data: '1234', opts: { contentLength: 5 }, code: 'IncompleteBody' },
    { name: 'exact Content-Length', data: '12345', opts: { contentLength: 5 } },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.code ?? 'stored'}`, async () => {
      const key = `k-${c.name}`;
      const publishedBefore = blobFiles(f.dataDir).published.length;
      const attempt = f.store.putObject('put', key, body(c.data), c.opts);
      if (c.code) {
        await assert.rejects(
          attempt,
          (e: unknown) => isS3Error(e) && e.code === c.code && (!c.message || e.message === c.message),
        );
        assert.throws(() => f.store.headObject('put', key), { code: 'NoSuchKey' });
        assert.deepEqual(blobFiles(f.dataDir).staged, []);
        assert.equal(blobFiles(f.dataDir).published.length, publishedBefore);
        return;
      }
      const v = await attempt;
      assert.equal(v.size, c.data.length);
      assert.equal(v.etag, `"${createHash('md5').update(c.data).digest('hex')}"`);
      if (c.opts.checksumAlgorithm) assert.equal(v.checksum, crc32(c.data));
      assert.equal((await readAll(f.store.openObject(f.store.headObject('put', key)))).toString(), c.data);
    });
  }

  it('keeps headers, user metadata, tags and storage class', async () => {
    const opts: PutObjectOptions = {
      headers: { contentType: 'text/plain', cacheControl: 'no-cache', contentDisposition: 'inline' },
      userMetadata: { color: 'blue' },
      tags: [{ key: 'a', value: 'b' }],
      storageClass: 'STANDARD_IA',
    };
    await f.store.putObject('put', 'meta', body('x'), opts);
    const v = f.store.headObject('put', 'meta');
    assert.deepEqual(
      [v.headers, v.userMetadata, v.tags, v.storageClass],
      [opts.headers, opts.userMetadata, opts.tags, opts.storageClass],
    );
    assert.equal(v.ownerId, f.owner.id);
  });

  it('checks If-None-Match and If-Match against the current object', async () => {
    const v = await f.store.putObject('put', 'cond', body('1'), {});
    const cases: [PutObjectOptions, string, string][] = [
      [{ ifNoneMatch: '*' }, 'cond', 'PreconditionFailed'],
      [{ ifNoneMatch: '*' }, 'cond-new', 'ok'],
      [{ ifMatch: '"nope"' }, 'cond', 'PreconditionFailed'],
      [{ ifMatch: v.etag }, 'cond', 'ok'],
      [{ ifMatch: '*' }, 'cond-missing', 'NoSuchKey'],
    ];
    for (const [opts, key, want] of cases) {
      const got = await f.store.putObject('put', key, body('2'), opts).then(
        () => 'ok',
        (e: unknown) => (isS3Error(e) ? e.code : String(e)),
      );
      assert.equal(got, want, `${JSON.stringify(opts)} ${key}`);
    }
  });

  it('racing conditional creates (If-None-Match: *): exactly one wins, the others leave nothing', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        f.store.putObject('put', 'only-once', body(`writer ${i}`), { ifNoneMatch: '*' }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.ok(lost.every((r) => isS3Error(r.reason) && r.reason.code === 'PreconditionFailed'));
    assert.deepEqual(blobFiles(f.dataDir).staged, []);
  });

  it('removes the staged file when the request is aborted', async () => {
    const ac = new AbortController();
    let sent = 0;
    const endless = new Readable({
      read() {
        if (sent < 2) {
          sent++;
          this.push(Buffer.alloc(1024 * 1024, 1));
        } else if (sent === 2) {
          sent++;
          setImmediate(() => ac.abort());
        }
      },
    });
    await assert.rejects(f.store.putObject('put', 'aborted', endless, { signal: ac.signal }));
    assert.deepEqual(blobFiles(f.dataDir).staged, []);
    assert.throws(() => f.store.headObject('put', 'aborted'), { code: 'NoSuchKey' });
  });

  it('concurrent writers to one key: last commit wins, nothing mixed, one blob left', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(300_000 + i, 65 + i));
    await Promise.all(bodies.map((b) => f.store.putObject('put', 'race', body(b, 4096), {})));
    const got = await readAll(f.store.openObject(f.store.headObject('put', 'race')));
    assert.ok(bodies.some((b) => b.equals(got)));
    assert.equal(f.store.listObjectVersions('put', { prefix: 'race', maxKeys: 10 }).versions.length, 1);
  });

  it('refuses keys longer than 1024 bytes and unknown buckets', async () => {
    await assert.rejects(f.store.putObject('put', 'é'.repeat(513), body('x'), {}), {
      code: 'KeyTooLongError',
    });
    await assert.rejects(f.store.putObject('no-such-bucket', 'k', body('x'), {}), { code: 'NoSuchBucket' });
  });
});

describe('copyObject', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture({ minPartSize: 1 });
    f.store.createBucket('src', f.owner, 'us-east-1');
    f.store.createBucket('dst', f.owner, 'us-east-1');
    await f.store.putObject('src', 'k', body('source body'), {
      headers: { contentType: 'text/a' },
      userMetadata: { m: '1' },
      tags: [{ key: 't', value: '1' }],
    });
  });
  after(() => f.cleanup());

  it('COPY keeps the source metadata and shares the blob (no new file)', async () => {
    const before = blobFiles(f.dataDir).published.length;
    const { version, sourceVersion } = await f.store.copyObject('src', 'k', 'dst', 'copy', {
      metadataDirective: 'COPY',
      taggingDirective: 'COPY',
    });
    assert.equal(blobFiles(f.dataDir).published.length, before);
    assert.equal(version.etag, sourceVersion.etag);
    assert.deepEqual(
      [version.headers, version.userMetadata, version.tags],
      [sourceVersion.headers, sourceVersion.userMetadata, sourceVersion.tags],
    );
    // Deleting the source must not take the copy's bytes with it.
    f.store.deleteObject('src', 'k');
    await f.store.putObject('src', 'k', body('source body'), {
      headers: { contentType: 'text/a' },
      userMetadata: { m: '1' },
    });
    assert.equal(
      (await readAll(f.store.openObject(f.store.headObject('dst', 'copy')))).toString(),
      'source body',
    );
  });

  it('REPLACE uses the given metadata and tags', async () => {
    const { version } = await f.store.copyObject('src', 'k', 'dst', 'replaced', {
      metadataDirective: 'REPLACE',
      taggingDirective: 'REPLACE',
      headers: { contentType: 'text/b' },
      userMetadata: { n: '2' },
      tags: [],
    });
    assert.deepEqual(
      [version.headers, version.userMetadata, version.tags],
      [{ contentType: 'text/b' }, { n: '2' }, []],
    );
  });

  it('refuses to copy an object onto itself without changes', async () => {
    await assert.rejects(
      f.store.copyObject('src', 'k', 'src', 'k', { metadataDirective: 'COPY', taggingDirective: 'COPY' }),
      (e: unknown) =>
        isS3Error(e) && e.code === 'InvalidRequest' && e.message.startsWith('This copy request is illegal'),
    );
    const { version } = await f.store.copyObject('src', 'k', 'src', 'k', {
      metadataDirective: 'REPLACE',
      taggingDirective: 'COPY',
      userMetadata: { x: 'y' },
    });
    assert.deepEqual(version.userMetadata, { x: 'y' });
    await f.store.settle(); // the shared blob must survive replacing the version that held it
    assert.equal(
      (await readAll(f.store.openObject(f.store.headObject('src', 'k')))).toString(),
      'source body',
    );
  });

  it('streams a multipart source into a single-part copy with the MD5 ETag and a new checksum', async () => {
    const u = f.store.createMultipartUpload('src', 'mp', f.owner, {});
    const a = await f.store.uploadPart('src', 'mp', u.uploadId, 1, body('aaa'), {});
    const b = await f.store.uploadPart('src', 'mp', u.uploadId, 2, body('bbb'), {});
    f.store.completeMultipartUpload('src', 'mp', u.uploadId, [
      { partNumber: 1, etag: a.etag },
      { partNumber: 2, etag: b.etag },
    ]);
    const { version } = await f.store.copyObject('src', 'mp', 'dst', 'flat', {
      metadataDirective: 'COPY',
      taggingDirective: 'COPY',
      checksumAlgorithm: 'CRC32C',
    });
    assert.equal(version.etag, `"${createHash('md5').update('aaabbb').digest('hex')}"`);
    assert.equal(version.checksum, checksumOf('CRC32C', Buffer.from('aaabbb')).toString('base64'));
    assert.equal(version.parts, undefined);
    assert.equal((await readAll(f.store.openObject(version))).toString(), 'aaabbb');
  });

  it('resolves the source with S3 errors and runs the source condition', async () => {
    const copy = (key: string, opts: { sourceVersionId?: string; sourceCondition?: () => void } = {}) =>
      f.store.copyObject('src', key, 'dst', 'x', {
        metadataDirective: 'COPY',
        taggingDirective: 'COPY',
        ...opts,
      });
    await assert.rejects(copy('missing'), { code: 'NoSuchKey' });
    await assert.rejects(copy('k', { sourceVersionId: '00000000000000000000000000' }), {
      code: 'NoSuchVersion',
    });
    await assert.rejects(
      copy('k', {
        sourceCondition: () => {
          throw Object.assign(new Error('x'), { code: 'Conditional' });
        },
      }),
      { code: 'Conditional' },
    );
    await assert.rejects(
      f.store.copyObject('src', 'k', 'nope-bucket', 'x', {
        metadataDirective: 'COPY',
        taggingDirective: 'COPY',
      }),
      { code: 'NoSuchBucket' },
    );
  });
});
