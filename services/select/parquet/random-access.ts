/**
 * Random access to an object's bytes, which Parquet needs (footer first, then
 * only the column chunks a query uses). Every byte read is counted into
 * ScanCounters.bytesScanned, so the Stats event shows what was skipped.
 */
import { errors, isS3Error } from '../../../shared/errors.js';
import type { ObjectStore, ObjectVersion } from '../../store/types.js';
import type { ScanCounters } from '../types.js';
import { parquetParsingError } from './parquet-errors.js';

export interface RandomAccessObject {
  readonly size: number;
  /** Bytes [start, endExclusive); rejects a range outside [0, size]. */
  read(start: number, endExclusive: number): Promise<Buffer>;
}

function checkRange(size: number, start: number, endExclusive: number): void {
  const ok =
    Number.isSafeInteger(start) && Number.isSafeInteger(endExclusive) && start >= 0 && start <= endExclusive;
  if (!ok || endExclusive > size) {
    throw parquetParsingError(`read [${start}, ${endExclusive}) outside the object of ${size} bytes`);
  }
}

/** A stored object version as a RandomAccessObject, reading through store.openObject. */
export function objectAsRandomAccess(
  store: ObjectStore,
  version: ObjectVersion,
  counters: ScanCounters,
  signal?: AbortSignal,
): RandomAccessObject {
  const size = version.size;
  return {
    size,
    async read(start, endExclusive) {
      checkRange(size, start, endExclusive);
      const length = endExclusive - start;
      if (length === 0) return Buffer.alloc(0);
      const chunks: Buffer[] = [];
      let filled = 0;
      try {
        // The store's ByteRange is inclusive at both ends.
        const stream = store.openObject(version, { start, end: endExclusive - 1 }, signal);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          const take = Math.min(chunk.length, length - filled);
          if (take > 0) chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
          filled += take;
          counters.bytesScanned += chunk.length;
        }
      } catch (e) {
        if (signal?.aborted || isS3Error(e)) throw e;
        throw errors.internal(e);
      }
      if (filled !== length) throw errors.internal(new Error(`short read: ${filled} of ${length} bytes`));
      // One chunk (the usual case: the store reads up to 1 MiB at once) is returned as it is.
      return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    },
  };
}

/** An in-memory object (tests, benchmarks, objects already buffered). */
export function bufferAsRandomAccess(data: Uint8Array, counters: ScanCounters): RandomAccessObject {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    size: buf.length,
    async read(start, endExclusive) {
      checkRange(buf.length, start, endExclusive);
      counters.bytesScanned += endExclusive - start;
      return buf.subarray(start, endExclusive);
    },
  };
}
