import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { blobFiles, body, openFixture, readAll, waitFor, type StoreFixture } from './store-fixture.js';
import { decodeBodyRef } from './body-ref.js';

const MiB = 1024 * 1024;
const pattern = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff));

describe('readers keep reading the version they opened', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture({ minPartSize: 1 });
    f.store.createBucket('read', f.owner, 'us-east-1');
  });
  after(() => f.cleanup());

  /** A 3-part object, so later segments are opened only after the change. */
  async function multipartObject(key: string, seed: number): Promise<Buffer> {
    const parts = [pattern(2 * MiB, seed), pattern(MiB + 5, seed + 1), pattern(777, seed + 2)];
    const u = f.store.createMultipartUpload('read', key, f.owner, {});
    const done = [];
    for (const [i, p] of parts.entries()) {
      const up = await f.store.uploadPart('read', key, u.uploadId, i + 1, body(p), {});
      done.push({ partNumber: i + 1, etag: up.etag });
    }
    f.store.completeMultipartUpload('read', key, u.uploadId, done);
    return Buffer.concat(parts);
  }

  const changes: [string, (key: string) => Promise<unknown>][] = [
    ['overwritten', (key) => f.store.putObject('read', key, body('new'), {})],
    ['deleted', async (key) => f.store.deleteObject('read', key)],
  ];

  for (const [name, change] of changes) {
    it(`reads all old bytes of an object ${name} mid-read, then frees its blobs`, async () => {
      const key = `obj-${name}`;
      const old = await multipartObject(key, name.length);
      const version = f.store.headObject('read', key);
      const oldBlobs = decodeBodyRef(version.bodyRef).map((s) => s.id);
      const stream = f.store.openObject(version);
      const [first] = (await once(stream, 'data')) as [Buffer];
      stream.pause();
      await change(key);
      await f.store.putObject('read', `unrelated-${name}`, body('x'), {}); // lets other I/O run meanwhile
      assert.ok(
        oldBlobs.every((id) => blobFiles(f.dataDir).published.includes(id)),
        'old blobs kept while read',
      );
      const rest = await readAll(stream);
      assert.deepEqual(Buffer.concat([first, rest]), old);
      await waitFor(
        () => oldBlobs.every((id) => !blobFiles(f.dataDir).published.includes(id)),
        'old blobs to be deleted',
      );
    });
  }

  it('a reader that is destroyed early also releases the blobs', async () => {
    const key = 'early';
    await multipartObject(key, 3);
    const version = f.store.headObject('read', key);
    const ids = decodeBodyRef(version.bodyRef).map((s) => s.id);
    const stream = f.store.openObject(version, { start: 10, end: 3 * MiB });
    await once(stream, 'data');
    f.store.deleteObject('read', key);
    stream.destroy();
    await waitFor(
      () => ids.every((id) => !blobFiles(f.dataDir).published.includes(id)),
      'blobs to be deleted',
    );
  });

  it('reads empty objects and single-byte ranges', async () => {
    const empty = await f.store.putObject('read', 'empty', body(''), {});
    assert.equal(empty.etag, '"d41d8cd98f00b204e9800998ecf8427e"');
    assert.equal((await readAll(f.store.openObject(empty))).length, 0);
    const v = await f.store.putObject('read', 'abc', body('abc'), {});
    for (const [start, end, want] of [
      [0, 0, 'a'],
      [1, 2, 'bc'],
      [2, 2, 'c'],
    ] as const) {
      assert.equal((await readAll(f.store.openObject(v, { start, end }))).toString(), want);
    }
  });
});
