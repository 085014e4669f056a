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

/** A RandomAccessObject over a store's version, to be closed when the scan ends. */
export interface StoredRandomAccess extends RandomAccessObject {
  close(): Promise<void>;
}

/**
 * A stored object version as a RandomAccessObject: opened once
 * (store.openRandomAccess) for all the reads of a scan; close() it when done.
 */
export function objectAsRandomAccess(
  store: ObjectStore,
  version: ObjectVersion,
  counters: ScanCounters,
  signal?: AbortSignal,
): StoredRandomAccess {
  const body = store.openRandomAccess(version, signal);
  const size = version.size;
  return {
    size,
    async read(start, endExclusive) {
      checkRange(size, start, endExclusive);
      if (endExclusive === start) return Buffer.alloc(0);
      let data: Buffer;
      try {
        data = await body.read(start, endExclusive);
      } catch (e) {
        if (signal?.aborted || isS3Error(e)) throw e;
        throw errors.internal(e);
      }
      counters.bytesScanned += data.length;
      return data;
    },
    close: () => body.close(),
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
