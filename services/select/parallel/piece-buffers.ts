/**
 * The buffers a parallel scan cuts its pieces in, reused from scan to scan:
 * a piece's ArrayBuffer moves to a thread and comes back with its result.
 *
 * Allocating a fresh ~2-3 MiB buffer per piece (and freeing it on another
 * thread) made the server's RSS creep: glibc raises its mmap threshold after
 * the first large free, so later large buffers come from malloc arenas that
 * keep the memory once freed. Measured after a CSV and a JSON select of
 * ~200-500 MB: ~307 MB of RSS left with a buffer per piece, 187 MB with
 * MALLOC_MMAP_THRESHOLD_ pinned (what reusing buffers avoids needing).
 */
export class PieceBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    /** Bytes of each pooled buffer. */
    readonly capacity: number,
    /** How many idle buffers are kept. */
    private readonly keep: number,
  ) {}

  /** A buffer of at least `bytes` bytes that owns its whole ArrayBuffer (so it can move). */
  take(bytes = 0): Buffer {
    if (bytes > this.capacity) return Buffer.allocUnsafeSlow(bytes);
    const ab = this.free.pop() ?? new ArrayBuffer(this.capacity);
    return Buffer.from(ab);
  }

  /** Gives a buffer back (one of this pool's size; others, and detached ones, are left to the GC). */
  give(ab: ArrayBuffer): void {
    if (ab.byteLength === this.capacity && this.free.length < this.keep) this.free.push(ab);
  }
}
