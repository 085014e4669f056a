import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunkCollections,
  COLLECT_EVERY_BYTES,
  EARLY_GC_MAX_STREAMS,
  noteChunkBytes,
  markChunksDisposable,
  openChunkStream,
  releaseBuffer,
  releaseReadChunk,
} from './chunk-gc.js';

const CHUNK = 64 * 1024;
const MB = 1e6;

/** A socket read's worth of memory outside V8's heap, touched so it is resident. */
function chunk(): Buffer {
  const b = Buffer.allocUnsafeSlow(CHUNK);
  b[0] = 1;
  return b;
}

/** Reports `bytes` of chunks as if read, without making any. */
function report(bytes: number): void {
  for (let n = 0; n < bytes; n += CHUNK) noteChunkBytes(CHUNK);
}

/**
 * Buffers kept through two minor GCs, so in the old generation (a plain
 * function: a suspended async one would keep them reachable).
 */
function oldBuffers(count: number, size: number): ArrayBuffer[] {
  const kept = Array.from(
    { length: count },
    () => Buffer.allocUnsafeSlow(size).fill(1).buffer as ArrayBuffer,
  );
  report(2 * COLLECT_EVERY_BYTES);
  return kept;
}

const settled = () => new Promise((r) => setTimeout(r, 50));

describe('chunk-gc', () => {
  it('keeps the memory of chunks done with within a few COLLECT_EVERY_BYTES', () => {
    // 96 MiB of chunks, each garbage as soon as it is made: left to itself V8
    // let 35-68 MB of them pile up before it collected.
    let most = 0;
    const before = chunkCollections;
    for (let made = 0; made < 96 * 1024 * 1024; made += CHUNK) {
      chunk();
      noteChunkBytes(CHUNK);
      most = Math.max(most, process.memoryUsage().arrayBuffers);
    }
    assert.ok(chunkCollections - before >= 10, `minor collections: ${chunkCollections - before}`);
    // A scavenge frees its buffers' memory on a helper thread, a little later:
    // a bound of a few COLLECT_EVERY_BYTES still tells early collection from V8's own.
    assert.ok(most < 3 * COLLECT_EVERY_BYTES, `peak of chunk memory: ${(most / MB).toFixed(1)} MB`);
  });

  it('leaves the collecting to V8 while more than EARLY_GC_MAX_STREAMS bodies stream in', () => {
    const closes = Array.from({ length: EARLY_GC_MAX_STREAMS + 1 }, () => openChunkStream());
    const before = chunkCollections;
    report(2 * COLLECT_EVERY_BYTES);
    assert.equal(chunkCollections, before);
    // One body fewer: early collection again. A second close of the same stream changes nothing.
    closes[0]!();
    closes[0]!();
    report(2 * COLLECT_EVERY_BYTES);
    assert.equal(chunkCollections, before + 2);
    for (const close of closes) close();
  });

  it('frees old buffers let go with releaseBuffer at the next minor GC', async () => {
    const base = process.memoryUsage().arrayBuffers;
    const kept = oldBuffers(24, 1024 * 1024);
    await settled();
    const held = process.memoryUsage().arrayBuffers - base;
    assert.ok(held > 24 * MB, `memory of the kept buffers: ${(held / MB).toFixed(1)} MB`);
    // Dropped without releaseBuffer, old buffers outlive minor GCs.
    const dropped = kept.splice(0, 12);
    assert.equal(dropped.length, 12);
    dropped.length = 0;
    report(COLLECT_EVERY_BYTES);
    await settled();
    const afterDrop = process.memoryUsage().arrayBuffers - base;
    assert.ok(afterDrop > 24 * MB, `after dropping half: ${(afterDrop / MB).toFixed(1)} MB`);
    // Released, the rest go with the next one.
    for (const b of kept.splice(0)) releaseBuffer(b);
    report(COLLECT_EVERY_BYTES);
    await settled();
    const afterRelease = process.memoryUsage().arrayBuffers - base;
    assert.ok(afterRelease < 14 * MB, `after releasing the other half: ${(afterRelease / MB).toFixed(1)} MB`);
  });

  it('releases a read chunk only when its stream was marked and it owns all of its memory', () => {
    const marked = markChunksDisposable({});
    const whole = Buffer.alloc(CHUNK, 7);
    releaseReadChunk(marked, whole);
    assert.equal(whole.length, 0);
    // A view of a larger buffer: the rest of that buffer may still be in use.
    const larger = Buffer.alloc(2 * CHUNK, 7);
    const view = larger.subarray(0, CHUNK);
    releaseReadChunk(marked, view);
    assert.equal(view.length, CHUNK);
    assert.equal(larger.length, 2 * CHUNK);
    const unmarked = Buffer.alloc(CHUNK, 7);
    releaseReadChunk({}, unmarked);
    assert.equal(unmarked.length, CHUNK);
    assert.equal(unmarked[0], 7);
  });
});
