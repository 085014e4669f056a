/**
 * Bytes start..end (inclusive) of a file as a stream, like
 * fs.createReadStream with start, end and a chunk size, except that whole
 * chunks are read into buffers lent by a BufferPool, so that a consumer
 * that gives them back (buffer-pool.ts) lets the next reads reuse them.
 * Shorter chunks (the last one, small objects) get buffers of their own size.
 *
 * With `passThrough` (large reads), the page-cache pages of what has been
 * read are dropped every DROP_STEP bytes (shared/page-cache.ts says why).
 *
 * As fs.createReadStream does, it ends early if the file is shorter than
 * `end`, and it closes the file when it ends, fails or is destroyed, after the
 * read and the drop under way, never during one (the descriptor could be
 * reused by then).
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { dropPageCache } from '../../../shared/page-cache.js';
import type { BufferPool } from '../buffer-pool.js';

/** Read bytes whose pages a pass-through read drops at a time. */
const DROP_STEP = 8 * 1024 * 1024;

export class FileReadStream extends Readable {
  private fd: number | undefined;
  private position: number;
  private reading = false;
  private closeAfterRead: (() => void) | undefined;
  /** Where the pages not yet dropped start (pass-through reads). */
  private kept: number;
  private dropping: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    start: number,
    private readonly end: number,
    private readonly buffers: BufferPool,
    private readonly passThrough = false,
  ) {
    super({ highWaterMark: buffers.size });
    this.position = start;
    this.kept = start;
  }

  override _construct(callback: (err?: Error | null) => void): void {
    fs.open(this.file, 'r', (err, fd) => {
      if (err) return callback(err);
      this.fd = fd;
      callback();
    });
  }

  override _read(): void {
    const left = this.end - this.position + 1;
    if (left <= 0 || this.fd === undefined) {
      this.push(null);
      return;
    }
    const pooled = left >= this.buffers.size;
    const target = pooled ? this.buffers.take() : Buffer.allocUnsafeSlow(left);
    const length = Math.min(left, target.length);
    this.reading = true;
    fs.read(this.fd, target, 0, length, this.position, (err, bytes) => {
      this.reading = false;
      const closing = this.closeAfterRead;
      if (err || bytes === 0 || closing) {
        if (pooled) this.buffers.give(target);
        if (closing) return closing();
        return err ? this.destroy(err) : this.push(null);
      }
      this.position += bytes;
      this.dropBehind();
      this.push(bytes === target.length ? target : target.subarray(0, bytes));
      if (this.position > this.end) this.push(null);
    });
  }

  /** Drops the pages of what has been read, a DROP_STEP at a time (pass-through reads). */
  private dropBehind(): void {
    if (!this.passThrough || this.dropping || this.fd === undefined) return;
    const length = this.position - this.kept;
    if (length < DROP_STEP) return;
    this.dropping = dropPageCache(this.fd, this.kept, length).finally(() => (this.dropping = undefined));
    this.kept = this.position;
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const close = () => {
      const fd = this.fd;
      this.fd = undefined;
      if (fd === undefined) return callback(err);
      void (async () => {
        await this.dropping;
        // And the rest read since the last drop.
        if (this.passThrough && this.position > this.kept) {
          await dropPageCache(fd, this.kept, this.position - this.kept);
        }
        fs.close(fd, (closeErr) => callback(err ?? closeErr));
      })();
    };
    if (this.reading) this.closeAfterRead = close;
    else close();
  }
}
