/**
 * A local blob file opened for positional reads: one file handle serves
 * every read (pread at an offset), instead of a stream (open, read, close)
 * per range, which costs more than the read itself for S3 Select's Parquet
 * reader and its many column-chunk ranges.
 */
import fsp, { type FileHandle } from 'node:fs/promises';
import type { BlobReader } from './blob-store.js';

export class LocalBlobReader implements BlobReader {
  private closing: Promise<void> | undefined;

  private constructor(private readonly handle: FileHandle) {}

  static async open(file: string): Promise<LocalBlobReader> {
    return new LocalBlobReader(await fsp.open(file, 'r'));
  }

  async readAt(position: number, target: Buffer): Promise<void> {
    let filled = 0;
    while (filled < target.length) {
      const { bytesRead } = await this.handle.read(target, filled, target.length - filled, position + filled);
      if (bytesRead === 0) {
        throw new Error(`blob ends at ${position + filled}, before ${position + target.length}`);
      }
      filled += bytesRead;
    }
  }

  /** FileHandle.close waits for reads under way on the handle. */
  close(): Promise<void> {
    this.closing ??= this.handle.close();
    return this.closing;
  }
}
