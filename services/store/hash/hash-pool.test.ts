/**
 * HashPool: digests computed on a thread equal node:crypto's on this one, for
 * every checksum the store supports and bodies fed in uneven pieces; the
 * writer is held back while too much is unhashed; a thread that dies fails
 * its bodies and the next body gets a fresh thread; idle threads stop.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { checksumOf } from '../checksums.js';
import type { ChecksumAlgorithm } from '../types.js';
import { HashPool } from './hash-pool.js';
import { seededBytes } from '../../../test/helpers/seeded-random.js';

const waitFor = async (cond: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('HashPool', () => {
  const pool = new HashPool({ threads: 2, idleStopMs: 100 });
  after(() => pool.close());

  const data = seededBytes(7, 5 * 1024 * 1024 + 321);
  const pieces = (buf: Buffer): Buffer[][] => {
    const out: Buffer[][] = [];
    for (let at = 0, n = 1; at < buf.length; n = (n * 7) % 13) {
      const batch: Buffer[] = [];
      for (let k = 0; k < n && at < buf.length; k++) {
        const len = Math.min(buf.length - at, 1 + ((at * 31 + k * 65_537) % 300_000));
        batch.push(buf.subarray(at, at + len));
        at += len;
      }
      out.push(batch);
    }
    return out;
  };

  for (const alg of [undefined, 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as (ChecksumAlgorithm | undefined)[]) {
    it(`MD5 ${alg ? `and ${alg} ` : ''}as computed here`, async () => {
      const h = pool.open(alg);
      for (const batch of pieces(data)) await h.update(batch);
      const d = await h.digest();
      assert.deepEqual(d.md5, createHash('md5').update(data).digest());
      assert.deepEqual(d.checksum, alg === undefined ? undefined : checksumOf(alg, data));
    });
  }

  it('takes batch buffers whole, moving them to the thread, between updates that copy', async () => {
    const h = pool.open('SHA256');
    const MiB = 1024 * 1024;
    let at = 0;
    for (const whole of [true, false, true, true]) {
      const n = Math.min(MiB, data.length - at);
      if (whole) {
        const b = h.batchBuffer(n);
        data.copy(b, 0, at, at + n);
        await h.updateBuffer(b, n);
        assert.equal(b.buffer.byteLength, 0, 'the buffer moved to the thread, not copied');
      } else await h.update([data.subarray(at, at + n)]);
      at += n;
    }
    const left = h.batchBuffer(MiB);
    h.returnBuffer(left); // lent, never filled: given back unused
    const d = await h.digest([data.subarray(at)]);
    assert.deepEqual(d.md5, createHash('md5').update(data).digest());
    assert.deepEqual(d.checksum, checksumOf('SHA256', data));
  });

  it('hashes several bodies at once, each on its own state', async () => {
    const bodies = [0, 1, 2, 3].map((i) => seededBytes(100 + i, 1024 * 1024 + i));
    const results = await Promise.all(
      bodies.map(async (b) => {
        const h = pool.open('CRC32');
        for (let at = 0; at < b.length; at += 100_000) await h.update([b.subarray(at, at + 100_000)]);
        return h.digest();
      }),
    );
    results.forEach((d, i) => assert.deepEqual(d.md5, createHash('md5').update(bodies[i]!).digest()));
  });

  it('hashes many concurrent bodies on one thread, in pieces, while others are dropped', async () => {
    const one = new HashPool({ threads: 1 });
    try {
      const algs = [undefined, 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const;
      const bodies = Array.from({ length: 20 }, (_, i) => seededBytes(200 + i, 300_000 + i * 9_999));
      const run = async (b: Buffer, i: number) => {
        const h = one.open(algs[i % algs.length]);
        // Every third body sends its last 70,000 bytes with the digest request.
        const end = i % 3 === 0 ? b.length - 70_000 : b.length;
        for (let at = 0, n = 1; at < end; at += n, n = (n * 31 + i) % 150_000) {
          await h.update([b.subarray(at, Math.min(end, at + n))]);
          if (i % 7 === 6 && at > 100_000) {
            h.discard();
            return undefined;
          }
          await new Promise((r) => setImmediate(r)); // let the other bodies send theirs
        }
        return h.digest([b.subarray(end)]);
      };
      const results = await Promise.all(bodies.map(run));
      results.forEach((d, i) => {
        if (i % 7 === 6) return assert.equal(d, undefined);
        const alg = algs[i % algs.length];
        assert.deepEqual(d?.md5, createHash('md5').update(bodies[i]!).digest(), `body ${i}`);
        assert.deepEqual(d?.checksum, alg === undefined ? undefined : checksumOf(alg, bodies[i]!));
      });
    } finally {
      await one.close();
    }
  });

  it('makes the writer wait while more than a few MiB are unhashed', async () => {
    const h = pool.open(undefined);
    const big = seededBytes(9, 2 * 1024 * 1024);
    const waits = [1, 2, 3, 4].map(() => h.update([big]));
    assert.equal(waits[0], undefined, 'room for the first 2 MiB');
    assert.ok(
      waits.some((w) => w instanceof Promise),
      'no back-pressure after 8 MiB',
    );
    await Promise.all(waits);
    const d = await h.digest();
    assert.deepEqual(
      d.md5,
      createHash('md5')
        .update(Buffer.concat([big, big, big, big]))
        .digest(),
    );
  });

  it('makes writers wait while the bodies together have more than a few MiB unhashed', async () => {
    const piece = seededBytes(11, 3 * 1024 * 1024);
    const hashers = [0, 1, 2].map(() => pool.open(undefined));
    const waits = hashers.map((h) => h.update([piece]));
    assert.equal(waits[0], undefined, 'room for 3 MiB');
    assert.equal(waits[1], undefined, 'room for 6 MiB');
    assert.ok(waits[2] instanceof Promise, 'no back-pressure at 9 MiB, each body under its own bound');
    await Promise.all(waits);
    const want = createHash('md5').update(piece).digest();
    for (const h of hashers) assert.deepEqual((await h.digest()).md5, want);
  });

  it('hashes the last bytes sent with the digest request, and gives their buffer back', async () => {
    const piece = seededBytes(13, 2 * 1024 * 1024);
    // Five bodies of 2 MiB each sent only with the digest request: 10 MiB through the pool.
    for (const alg of [undefined, 'CRC32C', 'SHA256', undefined, 'CRC32'] as const) {
      const d = await pool.open(alg).digest([piece.subarray(0, 1_000_000), piece.subarray(1_000_000)]);
      assert.deepEqual(d.md5, createHash('md5').update(piece).digest());
      assert.deepEqual(d.checksum, alg === undefined ? undefined : checksumOf(alg, piece));
    }
    const h = pool.open(undefined);
    await h.update([piece.subarray(0, 5)]);
    assert.deepEqual((await h.digest([piece.subarray(5)])).md5, createHash('md5').update(piece).digest());
    // Would wait for ever if those buffers had stayed counted as unhashed.
    const next = pool.open(undefined);
    for (let i = 0; i < 3; i++) await next.update([piece]);
    assert.deepEqual(
      (await next.digest()).md5,
      createHash('md5')
        .update(Buffer.concat([piece, piece, piece]))
        .digest(),
    );
  });

  it('a discarded body gives back its share of the backlog', { timeout: 10_000 }, async () => {
    const piece = seededBytes(12, 2 * 1024 * 1024);
    const dropped = pool.open(undefined);
    for (let i = 0; i < 5; i++) void dropped.update([piece]); // 10 MiB queued, none awaited
    dropped.discard();
    const next = pool.open(undefined);
    for (let i = 0; i < 3; i++) await next.update([piece]); // would wait for ever on a leaked 10 MiB
    assert.deepEqual(
      (await next.digest()).md5,
      createHash('md5')
        .update(Buffer.concat([piece, piece, piece]))
        .digest(),
    );
  });

  it('fails the bodies of a thread that dies; the next body gets a new thread', async () => {
    const h = pool.open(undefined);
    await h.update([data.subarray(0, 1000)]);
    pool.crashForTest();
    await assert.rejects(h.digest(), { code: 'InternalError' });
    await waitFor(() => pool.liveThreads === 0, 'the dead threads to be gone');
    const next = pool.open(undefined);
    await next.update([data.subarray(0, 1000)]);
    assert.deepEqual((await next.digest()).md5, createHash('md5').update(data.subarray(0, 1000)).digest());
  });

  it('stops idle threads, and starts one again for the next body', async () => {
    const h = pool.open(undefined);
    h.discard();
    await waitFor(() => pool.liveThreads === 0, 'idle threads to stop');
    const again = pool.open(undefined);
    assert.equal(pool.liveThreads, 1);
    await again.update([Buffer.from('abc')]);
    assert.deepEqual((await again.digest()).md5, createHash('md5').update('abc').digest());
  });
});
