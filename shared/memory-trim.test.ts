/**
 * memory-trim: on glibc the addon is built by `npm install` and gives freed
 * malloc memory back to the system (RSS drops), which free() alone does not
 * do below a chunk still in use; trims follow garbage collections, at most
 * one per interval, and stop with stop().
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { chunkCollections } from './chunk-gc.js';
import {
  BURST_MIN_REQUESTS,
  shrinkAfterBursts,
  startMemoryTrim,
  trimAvailable,
  trimNow,
} from './memory-trim.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rss(): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return Number(m![1]) * 1024;
}

/** What process.report says of the C library: glibc has a version. */
const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header
  .glibcVersionRuntime;

describe('memory trim', () => {
  it('is available wherever the C library is glibc (the addon was built at install)', () => {
    assert.equal(trimAvailable, glibc !== undefined);
  });

  it('gives memory that V8 freed back to the system (glibc; elsewhere it does nothing)', async () => {
    if (glibc === undefined) return assert.equal(trimNow(), false);
    const start = rss();
    // 80 MiB in 64 KiB buffers: malloc serves each from its heap, below the mmap threshold.
    let buffers: Buffer[] = Array.from({ length: 1280 }, () => Buffer.allocUnsafeSlow(64 * 1024).fill(7));
    // A chunk allocated after them and kept: the heap's top stays in use, so free() cannot shrink it.
    const pin = Buffer.allocUnsafeSlow(100 * 1024).fill(1);
    const filled = rss();
    assert.ok(filled - start > 70e6, `the buffers are resident (${(filled - start) / 1e6} MB)`);
    buffers = [];
    gc();
    await sleep(200); // V8 frees dead buffers' memory on a background thread
    const freed = rss();
    assert.ok(freed - start > 60e6, `free() kept the memory (${(freed - start) / 1e6} MB still resident)`);
    assert.equal(trimNow(), true);
    const trimmed = rss();
    assert.ok(freed - trimmed > 60e6, `trim gave back ${(freed - trimmed) / 1e6} MB`);
    assert.equal(pin[0], 1);
    assert.equal(buffers.length, 0);
  });

  it('trims after garbage collections, at most once per interval, until stopped', async () => {
    const t = startMemoryTrim({ delayMs: 10, intervalMs: 3000 });
    if (!trimAvailable) return assert.equal(t, undefined);
    assert.ok(t);
    try {
      assert.equal(t.trims, 0, 'no trim before a collection');
      gc();
      for (let i = 0; i < 100 && t.trims === 0; i++) await sleep(20);
      assert.equal(t.trims, 1, 'a trim followed the collection');
      gc();
      gc();
      await sleep(300);
      assert.equal(t.trims, 1, 'collections within the interval wait for it');
      for (let i = 0; i < 200 && t.trims === 1; i++) await sleep(20);
      assert.equal(t.trims, 2, 'then one trim covers them');
    } finally {
      t.stop();
    }
    gc();
    await sleep(300);
    assert.equal(t.trims, 2, 'none after stop');
  });

  it('collects and trims when a burst of requests ends, at most once per burst interval', async () => {
    // Trims after collections wait 10 s here: every trim seen comes from a burst.
    const t = startMemoryTrim({ delayMs: 10_000, intervalMs: 10_000, burstIntervalMs: 600 });
    if (!trimAvailable) return assert.equal(t, undefined);
    assert.ok(t);
    const burst = async (size: number) => {
      const ends = Array.from({ length: size }, () => t.requestStarted());
      for (const end of ends) {
        end();
        end(); // a second call changes nothing
      }
      await sleep(150);
    };
    const pool = { shrinks: 0, shrink: () => pool.shrinks++ };
    shrinkAfterBursts(pool);
    try {
      await burst(BURST_MIN_REQUESTS - 1);
      assert.equal(t.trims, 0, 'fewer requests at once are no burst');
      const collections = chunkCollections;
      await burst(BURST_MIN_REQUESTS);
      assert.equal(t.trims, 1, 'a trim followed the burst');
      assert.equal(chunkCollections, collections + 1, 'after a minor GC');
      assert.equal(pool.shrinks, 1, 'and the pools shrank');
      await burst(BURST_MIN_REQUESTS);
      assert.equal(t.trims, 1, 'a burst within the interval of the last one waits');
      await sleep(600);
      // One request in flight through the burst: it ends only when that one does.
      const long = t.requestStarted();
      await burst(BURST_MIN_REQUESTS);
      assert.equal(t.trims, 1, 'nothing while a request is still in flight');
      long();
      await sleep(150);
      assert.equal(t.trims, 2, 'then the burst has ended');
      assert.equal(pool.shrinks, 2);
    } finally {
      t.stop();
    }
  });
});
