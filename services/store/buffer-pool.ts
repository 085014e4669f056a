/**
 * Buffers lent out and reused once given back: the ones blob read streams
 * fill (the S3 server gives them back when a chunk has been written to the
 * socket: ObjectStore.recycle), and the ones request bodies are gathered in
 * (body-writer.ts).
 *
 * Every new Buffer counts as V8 external memory, and its growth starts full
 * mark-compacts of the heap. Serving 64 MiB GETs to 16 clients with a fresh
 * 1 MiB buffer per read, the server ran one every 60–170 ms (43 in a few
 * seconds), which cost its GC threads 0.84 ms of CPU per MiB sent (the bare
 * baseline server: 0.09 ms; with reused buffers: 0.04 ms), and GET c16 went
 * from 460 to 640 MB/s. A buffer that is never given back (a consumer that
 * keeps or transforms the chunks) is garbage, as every chunk was before.
 */
import { releaseBuffer } from '../../shared/chunk-gc.js';
import { shrinkAfterBursts } from '../../shared/memory-trim.js';

/** Buffers a pool keeps once a burst of requests has ended (shared/memory-trim.ts). */
export const KEPT_AFTER_BURST = 2;

export class BufferPool {
  private readonly free: Buffer[] = [];
  /** Buffers handed out by take() and not given back yet, by their memory. */
  private readonly lent = new WeakSet<ArrayBuffer>();

  constructor(
    /** Bytes of each buffer. */
    readonly size: number,
    /** Buffers kept for reuse; more given back than this are left to the GC. */
    private readonly maxFree: number,
  ) {
    shrinkAfterBursts(this);
  }

  /** A buffer of `size` bytes (contents undefined) to read into. */
  take(): Buffer {
    const b = this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.lent.add(b.buffer as ArrayBuffer);
    return b;
  }

  /**
   * Gives back a buffer take() lent, or a view of one, once nothing reads it
   * any more. Anything else, and a buffer given back twice, is ignored.
   */
  give(chunk: Uint8Array): void {
    const memory = chunk.buffer as ArrayBuffer;
    if (!this.lent.delete(memory)) return;
    if (this.free.length < this.maxFree) this.free.push(Buffer.from(memory, 0, this.size));
    else releaseBuffer(memory); // freed by the next minor GC (shared/chunk-gc.ts)
  }

  /** Lets go of the free buffers beyond KEPT_AFTER_BURST (their memory goes with the next minor GC). */
  shrink(): void {
    for (const b of this.free.splice(KEPT_AFTER_BURST)) releaseBuffer(b.buffer as ArrayBuffer);
  }

  /** Buffers waiting to be reused (tests). */
  get freeCount(): number {
    return this.free.length;
  }
}
