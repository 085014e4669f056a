/**
 * The buffers a HashPool's batches move to its threads in (hash-pool.ts).
 */
import { releaseBuffer } from '../../../shared/chunk-gc.js';
import { shrinkAfterBursts } from '../../../shared/memory-trim.js';
import { KEPT_AFTER_BURST } from '../buffer-pool.js';

/** Buffers kept for reuse once a thread has hashed them. */
const MAX_FREE_BUFFERS = 8;
/** New buffers are sized in steps of this, so that most batches fit a used one. */
const BUFFER_STEP = 256 * 1024;

/**
 * The buffers batches move to the threads in, reused when they come back:
 * a fresh buffer per MiB hashed, freed on another thread, left the server's
 * RSS ~65 MB higher after a few large PUTs than hashing inline did.
 */
export class Buffers {
  private readonly free: ArrayBuffer[] = [];

  constructor() {
    shrinkAfterBursts(this);
  }

  take(bytes: number): ArrayBuffer {
    const i = this.free.findIndex((b) => b.byteLength >= bytes);
    if (i !== -1) return this.free.splice(i, 1)[0]!;
    // Not zero-filled (new ArrayBuffer is): every byte is written before it is read.
    return Buffer.allocUnsafeSlow(Math.ceil(bytes / BUFFER_STEP) * BUFFER_STEP).buffer as ArrayBuffer;
  }

  give(buffer: ArrayBuffer): void {
    if (this.free.length < MAX_FREE_BUFFERS) this.free.push(buffer);
    else releaseBuffer(buffer); // freed by the next minor GC (shared/chunk-gc.ts)
  }

  clear(): void {
    for (const b of this.free.splice(0)) releaseBuffer(b);
  }

  /** After a burst of requests (shared/memory-trim.ts): keeps as many as a BufferPool does. */
  shrink(): void {
    for (const b of this.free.splice(KEPT_AFTER_BURST)) releaseBuffer(b);
  }
}
