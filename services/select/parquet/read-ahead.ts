/**
 * Reads the next row group's column chunks (their first read window, as
 * ChunkPages will ask for it) while the current row group is decoded, so
 * that waiting on the store overlaps with decoding instead of adding to it.
 * What is read ahead is capped (READ_AHEAD_BYTES); a read that is not
 * ahead goes straight to the object.
 */
import type { RowGroupLayout, TopColumn } from './layout.js';
import { FIRST_WINDOW_BYTES } from './page-stream.js';
import type { RandomAccessObject } from './random-access.js';

/** At most this much is held read ahead. */
export const READ_AHEAD_BYTES = 16 * 1024 * 1024;

interface Ahead {
  readonly start: number;
  readonly end: number;
  readonly data: Promise<Buffer>;
}

export class ReadAhead implements RandomAccessObject {
  private ahead: Ahead[] = [];

  constructor(private readonly file: RandomAccessObject) {}

  get size(): number {
    return this.file.size;
  }

  /** Starts reading the first window of each chunk of `columns` in `group`. */
  prefetch(columns: readonly TopColumn[], group: RowGroupLayout): void {
    let total = 0;
    for (const column of columns) {
      for (const leaf of column.leaves) {
        const chunk = group.chunks[leaf.index];
        if (chunk === undefined) continue;
        const end = Math.min(chunk.end, chunk.start + FIRST_WINDOW_BYTES);
        if (end <= chunk.start || total + (end - chunk.start) > READ_AHEAD_BYTES) return;
        total += end - chunk.start;
        const data = this.file.read(chunk.start, end);
        // A failure surfaces when the range is asked for; never as an unhandled rejection.
        data.catch(() => undefined);
        this.ahead.push({ start: chunk.start, end, data });
      }
    }
  }

  async read(start: number, endExclusive: number): Promise<Buffer> {
    const i = this.ahead.findIndex((a) => a.start <= start && endExclusive <= a.end);
    if (i < 0) return this.file.read(start, endExclusive);
    const [a] = this.ahead.splice(i, 1);
    const data = await a!.data;
    return data.subarray(start - a!.start, endExclusive - a!.start);
  }
}
