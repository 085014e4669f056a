import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { markChunksDisposable } from '../../shared/chunk-gc.js';
import { bodyBytes } from '../../test/helpers/object-kit.js';
import { seededBytes } from '../../test/helpers/seeded-random.js';
import { LocalBlobStore } from './blob/local-blob-store.js';
import { writeBody } from './body-writer.js';
import { HashPool } from './hash/hash-pool.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A stream of `data` in chunks of `size` bytes (the last one shorter). */
function chunked(data: Buffer, size: number): PassThrough {
  const body = new PassThrough();
  void (async () => {
    for (let at = 0; at < data.length; at += size) {
      if (!body.write(data.subarray(at, at + size))) await new Promise((r) => body.once('drain', r));
    }
    body.end();
  })();
  return body;
}

describe('writeBody', () => {
  let root: string;
  let blobs: LocalBlobStore;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-body-writer-'));
    blobs = new LocalBlobStore({ root });
    await blobs.ready();
  });
  after(async () => {
    await blobs.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Bytes in staged files other than those made ahead (empty until a write takes one). */
  const stagedBytes = (): number => {
    const reserved = new Set(blobs.reservedIds());
    return fs
      .readdirSync(path.join(root, 'tmp'))
      .filter((name) => !reserved.has(name))
      .reduce((n, name) => n + fs.statSync(path.join(root, 'tmp', name)).size, 0);
  };

  const waitFor = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('writes what has arrived of a body while the rest is still coming', async () => {
    const data = seededBytes(21, 1024 * KiB);
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: data.length });
    body.write(data.subarray(0, 600 * KiB));
    // Two 256 KiB pieces are on their way to the file before the body has ended.
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 512 * KiB);
    body.end(data.subarray(600 * KiB));
    const w = await written;
    assert.equal(w.size, data.length);
    assert.equal(w.md5, createHash('md5').update(data).digest('hex'));
    blobs.publish(w.blobId!);
    assert.ok((await bodyBytes(blobs.read(w.blobId!, 0, data.length - 1))).equals(data));
  });

  it('removes what it wrote when the body ends short of its Content-Length', async () => {
    const data = seededBytes(22, 700 * KiB);
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: 1024 * KiB });
    body.write(data);
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 512 * KiB);
    body.end();
    await assert.rejects(written, { code: 'IncompleteBody' });
    assert.equal(stagedBytes(), 0);
  });

  it('removes what it wrote when the body fails midway', async () => {
    const body = new PassThrough();
    const written = writeBody(blobs, body, { contentLength: 2048 * KiB });
    body.write(seededBytes(23, 1300 * KiB));
    await waitFor('the first bytes in the staged file', () => stagedBytes() >= 1024 * KiB);
    body.destroy(new Error('connection reset'));
    await assert.rejects(written, /connection reset/);
    assert.equal(stagedBytes(), 0);
  });

  it('keeps every byte of bodies whose chunks straddle its batches, written at once and one after another', async () => {
    const pool = new HashPool({ threads: 1 });
    try {
      // Sizes around the 1 MiB batches and 256 KiB writes, chunks that do not divide them.
      const cases = [
        { size: 256 * KiB + 1, chunk: 65_536, known: true },
        { size: MiB, chunk: 100_003, known: true },
        { size: MiB + 7, chunk: 65_536, known: false },
        { size: 3 * MiB + 12_345, chunk: 333_333, known: true },
        { size: 2 * MiB, chunk: 3 * MiB, known: false },
        { size: 5 * MiB - 1, chunk: 1_000_000, known: true },
      ];
      const put = async (c: (typeof cases)[number], seed: number, hashPool?: HashPool) => {
        const data = seededBytes(seed, c.size);
        const opts = c.known ? { contentLength: c.size } : {};
        const w = await writeBody(blobs, chunked(data, c.chunk), opts, hashPool);
        assert.equal(w.size, data.length);
        assert.equal(w.md5, createHash('md5').update(data).digest('hex'), `MD5 of ${c.size} bytes`);
        blobs.publish(w.blobId!);
        const back = await bodyBytes(blobs.read(w.blobId!, 0, data.length - 1));
        assert.ok(back.equals(data), `${c.size} bytes in chunks of ${c.chunk} read back changed`);
      };
      await Promise.all(cases.map((c, i) => put(c, 100 + i, pool)));
      await Promise.all(cases.map((c, i) => put(c, 200 + i)));
      for (const [i, c] of cases.entries()) await put(c, 300 + i, pool);
    } finally {
      await pool.close();
    }
  });

  it('tells the blob store a body of up to 1 MiB is alone only while no other body is being written', async () => {
    const seen: (boolean | undefined)[] = [];
    const realCreate = blobs.create.bind(blobs);
    blobs.create = (size?: number, alone?: boolean) => {
      seen.push(alone);
      return realCreate(size, alone);
    };
    try {
      const put = (body: PassThrough, data: Buffer) =>
        writeBody(blobs, body, { contentLength: data.length }).then((w) => w.discard());
      const data = seededBytes(31, MiB);
      await put(chunked(data, 65_536), data);
      // A second body starts while the first is still coming: neither is the only one at its start.
      const first = new PassThrough();
      const firstDone = put(first, data);
      first.write(data.subarray(0, 300 * KiB));
      await waitFor("the first body's blob", () => seen.length === 2);
      await put(chunked(data, 65_536), data);
      first.end(data.subarray(300 * KiB));
      await firstDone;
      // Both have ended: the next one is alone again.
      await put(chunked(data, 65_536), data);
      assert.deepEqual(seen, [true, true, false, true]);
    } finally {
      blobs.create = realCreate;
    }
  });

  it("releases the chunks of a stream marked disposable once it has copied them, and no one else's", async () => {
    // Chunks of their own, as node:http delivers a request body.
    const chunksOf = (data: Buffer, size: number): Buffer[] => {
      const out: Buffer[] = [];
      for (let at = 0; at < data.length; at += size) {
        const piece = data.subarray(at, at + size);
        const own = Buffer.allocUnsafeSlow(piece.length); // not a view of Buffer's shared pool
        piece.copy(own);
        out.push(own);
      }
      return out;
    };
    const put = async (data: Buffer, chunks: Buffer[], marked: boolean) => {
      const body = new PassThrough();
      if (marked) markChunksDisposable(body);
      void (async () => {
        for (const c of chunks) if (!body.write(c)) await new Promise((r) => body.once('drain', r));
        body.end();
      })();
      const w = await writeBody(blobs, body, { contentLength: data.length });
      assert.equal(w.md5, createHash('md5').update(data).digest('hex'));
      blobs.publish(w.blobId!);
      assert.ok((await bodyBytes(blobs.read(w.blobId!, 0, data.length - 1))).equals(data));
    };
    const large = seededBytes(41, 3 * MiB + 5);
    const released = chunksOf(large, 65_536);
    await put(large, released, true);
    assert.deepEqual(
      released.filter((c) => c.length > 0).map((c) => c.length),
      [],
      'chunks left unreleased',
    );
    const kept = chunksOf(large, 65_536);
    await put(large, kept, false);
    assert.ok(Buffer.concat(kept).equals(large), 'an unmarked stream had its chunks changed');
    // A body of up to 256 KiB is written from its chunks, not copied: they stay.
    const small = seededBytes(42, 200 * KiB);
    const smallChunks = chunksOf(small, 65_536);
    await put(small, smallChunks, true);
    assert.ok(Buffer.concat(smallChunks).equals(small), "a small body's chunks were released");
  });
});
