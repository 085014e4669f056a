import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunkCollections,
  COLLECT_EVERY_BYTES,
  EARLY_GC_MAX_STREAMS,
  IDLE_COLLECT_MS,
  noteChunkBytes,
  openChunkStream,
} from './chunk-gc.js';

const CHUNK = 64 * 1024;
const MB = 1e6;

/** A socket read's worth of memory outside V8's heap, touched so it is resident. */
function chunk(): Buffer {
  const b = Buffer.allocUnsafeSlow(CHUNK);
  b[0] = 1;
  return b;
}

/**
 * Makes `bytes` of chunks, reported as they come, all kept until the last is
 * made (a plain function: a suspended async one would keep them reachable).
 */
function holdThroughMinorGcs(bytes: number): void {
  const held: Buffer[] = [];
  for (let made = 0; made < bytes; made += CHUNK) {
    held.push(chunk());
    noteChunkBytes(CHUNK);
  }
  assert.equal(held.length, bytes / CHUNK);
}

describe('chunk-gc', () => {
  it('keeps the memory of chunks done with under COLLECT_EVERY_BYTES, and collects what outlived a minor GC once idle', async () => {
    // 96 MiB of chunks, each garbage as soon as it is made: left to itself V8
    // lets 50-68 MB of them pile up before it collects.
    let most = 0;
    for (let made = 0; made < 96 * 1024 * 1024; made += CHUNK) {
      chunk();
      noteChunkBytes(CHUNK);
      most = Math.max(most, process.memoryUsage().arrayBuffers);
    }
    assert.ok(chunkCollections.minor >= 10, `minor collections: ${chunkCollections.minor}`);
    // A scavenge frees its buffers' memory on a helper thread, a little later:
    // a bound of a few COLLECT_EVERY_BYTES still tells early collection from V8's own.
    assert.ok(most < 3 * COLLECT_EVERY_BYTES, `peak of chunk memory: ${(most / MB).toFixed(1)} MB`);

    // Chunks still in use through two minor GCs move to the old generation,
    // which only a major GC frees: the one that follows a quiet second.
    holdThroughMinorGcs(4 * COLLECT_EVERY_BYTES);
    assert.ok(
      process.memoryUsage().arrayBuffers > 3 * COLLECT_EVERY_BYTES,
      'the held chunks are still in memory',
    );
    const majors = chunkCollections.major;
    await new Promise((r) => setTimeout(r, IDLE_COLLECT_MS + 300));
    assert.equal(chunkCollections.major, majors + 1);
    const left = process.memoryUsage().arrayBuffers;
    assert.ok(left < 8 * MB, `chunk memory after the quiet second: ${(left / MB).toFixed(1)} MB`);
  });

  it('leaves the collecting to V8 while more than EARLY_GC_MAX_STREAMS bodies stream in', () => {
    const closes = Array.from({ length: EARLY_GC_MAX_STREAMS + 1 }, () => openChunkStream());
    const minors = chunkCollections.minor;
    for (let made = 0; made < 2 * COLLECT_EVERY_BYTES; made += CHUNK) noteChunkBytes(CHUNK);
    assert.equal(chunkCollections.minor, minors);
    // One body fewer: early collection again. A second close of the same stream changes nothing.
    closes[0]!();
    closes[0]!();
    for (let made = 0; made < 2 * COLLECT_EVERY_BYTES; made += CHUNK) noteChunkBytes(CHUNK);
    assert.equal(chunkCollections.minor, minors + 2);
    for (const close of closes) close();
  });
});
