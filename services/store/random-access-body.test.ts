/**
 * ObjectStore.openRandomAccess: positional reads of a multipart body across
 * its segments, reads of a version overwritten or deleted while open, and
 * close() letting the version's blobs go.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBodyRef } from './body-ref.js';
import { blobFiles, body, openFixture, waitFor, type StoreFixture } from './store-fixture.js';
import type { ObjectVersion } from './types.js';

const KiB = 1024;
const pattern = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff));

describe('openRandomAccess', () => {
  let f: StoreFixture;
  before(async () => {
    f = await openFixture({ minPartSize: 1 });
    f.store.createBucket('ra-body', f.owner, 'us-east-1');
  });
  after(() => f.cleanup());

  /** A 3-part object (parts of 64 KiB, 10 KiB + 3 and 777 bytes) and its bytes. */
  async function multipartObject(
    key: string,
    seed: number,
  ): Promise<{ version: ObjectVersion; bytes: Buffer }> {
    const parts = [pattern(64 * KiB, seed), pattern(10 * KiB + 3, seed + 1), pattern(777, seed + 2)];
    const u = f.store.createMultipartUpload('ra-body', key, f.owner, {});
    const done = [];
    for (const [i, p] of parts.entries()) {
      const up = await f.store.uploadPart('ra-body', key, u.uploadId, i + 1, body(p), {});
      done.push({ partNumber: i + 1, etag: up.etag });
    }
    const version = f.store.completeMultipartUpload('ra-body', key, u.uploadId, done);
    return { version, bytes: Buffer.concat(parts) };
  }

  const published = (ids: readonly string[]) =>
    ids.every((id) => blobFiles(f.dataDir).published.includes(id));
  const gone = (ids: readonly string[]) => ids.every((id) => !blobFiles(f.dataDir).published.includes(id));

  it('reads any range of a multipart body, within and across segments', async () => {
    const { version, bytes } = await multipartObject('ranges', 1);
    const a = 64 * KiB;
    const b = a + 10 * KiB + 3;
    const ranges: [number, number][] = [
      [0, bytes.length],
      [0, 1],
      [a - 1, a + 1],
      [a, b],
      [a - 5, b + 5],
      [b, bytes.length],
      [bytes.length - 1, bytes.length],
      [100, 100],
      [bytes.length, bytes.length],
    ];
    const file = f.store.openRandomAccess(version);
    try {
      assert.equal(file.size, bytes.length);
      for (const [start, end] of ranges) {
        assert.deepEqual(await file.read(start, end), bytes.subarray(start, end), `[${start}, ${end})`);
      }
      // Concurrent reads share the handles.
      const all = await Promise.all(ranges.map(([s, e]) => file.read(s, e)));
      all.forEach((got, i) => assert.deepEqual(got, bytes.subarray(...ranges[i]!)));
    } finally {
      await file.close();
    }
  });

  for (const [start, end] of [
    [-1, 2],
    [5, 4],
    [0, 75 * KiB],
    [0.5, 2],
  ] as const) {
    it(`rejects [${start}, ${end})`, async () => {
      const { version } = await multipartObject(`bad-${start}-${end}`, 2);
      const file = f.store.openRandomAccess(version);
      await assert.rejects(file.read(start, end), RangeError);
      await file.close();
    });
  }

  const changes: [string, (key: string) => Promise<unknown>][] = [
    ['overwritten', (key) => f.store.putObject('ra-body', key, body('new'), {})],
    ['deleted', async (key) => f.store.deleteObject('ra-body', key)],
  ];
  for (const [name, change] of changes) {
    it(`reads the old bytes of a version ${name} while open, then close() frees its blobs`, async () => {
      const key = `changed-${name}`;
      const { version, bytes } = await multipartObject(key, name.length);
      const ids = decodeBodyRef(version.bodyRef).map((s) => s.id);
      const file = f.store.openRandomAccess(version);
      // Only the first segment is opened before the change.
      assert.deepEqual(await file.read(10, 20), bytes.subarray(10, 20));
      await change(key);
      await f.store.putObject('ra-body', `unrelated-${name}`, body('x'), {}); // lets the reclaimer run
      await f.store.settle();
      assert.ok(published(ids), 'old blobs kept while open');
      assert.deepEqual(await file.read(0, bytes.length), bytes);
      await file.close();
      await waitFor(() => gone(ids), 'old blobs to be deleted');
      await assert.rejects(file.read(0, 1), /after close/);
      await file.close(); // idempotent
    });
  }

  it('close() without any read releases the blobs too', async () => {
    const { version } = await multipartObject('unread', 5);
    const ids = decodeBodyRef(version.bodyRef).map((s) => s.id);
    const file = f.store.openRandomAccess(version);
    f.store.deleteObject('ra-body', 'unread');
    await f.store.settle();
    assert.ok(published(ids), 'blobs kept while open');
    await file.close();
    await waitFor(() => gone(ids), 'blobs to be deleted');
  });

  it('reads an empty body, and rejects reads once the signal aborts', async () => {
    const empty = await f.store.putObject('ra-body', 'empty', body(''), {});
    const e = f.store.openRandomAccess(empty);
    assert.equal((await e.read(0, 0)).length, 0);
    await e.close();
    const { version } = await multipartObject('aborted', 6);
    const ac = new AbortController();
    const file = f.store.openRandomAccess(version, ac.signal);
    assert.equal((await file.read(0, 4)).length, 4);
    ac.abort();
    await assert.rejects(file.read(0, 4), { name: 'AbortError' });
    await file.close();
  });
});
