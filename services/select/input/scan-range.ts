/**
 * ScanRange: "A record is processed when its first byte is contained by the
 * range" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ScanRange.html).
 * So the partial record at the range's start is skipped and the record that
 * straddles its end is processed whole. Record boundaries are found on the raw
 * bytes by the record delimiter, before any parsing; a delimiter inside a
 * quoted CSV field (AllowQuotedRecordDelimiter TRUE) cannot be told apart from
 * a real one this way, exactly as a reader starting mid-object cannot know
 * whether it is inside quotes.
 */
import { errors } from '../../../shared/errors.js';
import type { ScanRange } from '../types.js';

/**
 * The request's <ScanRange> (Start and End both optional, End INCLUSIVE, End
 * alone = the last End bytes) as a half-open range over an object of `size` bytes.
 */
export function resolveScanRange(
  start: number | undefined,
  end: number | undefined,
  size: number,
): ScanRange {
  const bad = (v: number | undefined) => v !== undefined && (!Number.isSafeInteger(v) || v < 0);
  if (bad(start) || bad(end) || (start === undefined && end === undefined)) {
    throw errors.make('InvalidScanRange');
  }
  if (start === undefined) return { start: Math.max(0, size - (end ?? 0)), end: undefined };
  if (end !== undefined && end < start) throw errors.make('InvalidScanRange');
  return { start, end: end === undefined ? undefined : end + 1 };
}

/** Where the caller opens the object for a range: enough bytes before `start` to see a delimiter ending there. */
export function scanRangeOpenOffset(range: ScanRange, recordDelimiter: string): number {
  return Math.max(0, range.start - Buffer.byteLength(recordDelimiter));
}

/**
 * The bytes of the records that start in the range: `input` begins at object
 * offset `inputOffset` (≤ range.start); the output begins at the first record
 * starting at or after `start` and ends after the delimiter of the last record
 * starting before `end` (or at the end of input). Stops pulling `input` then.
 */
export async function* clipToScanRange(
  input: AsyncIterable<Buffer>,
  range: ScanRange,
  inputOffset: number,
  recordDelimiter: string,
): AsyncGenerator<Buffer> {
  const delim = Buffer.from(recordDelimiter, 'utf8');
  const end = range.end ?? Infinity;
  if (inputOffset > range.start) throw errors.internal(new Error('input starts after the scan range'));
  // Phase 1: find the first record start p ≥ start, i.e. the end of the first
  // delimiter occurrence that begins at or after start - delim.length.
  let pos = inputOffset; // object offset of `pending`'s first byte
  let pending: Buffer = Buffer.alloc(0);
  let started = range.start === 0;
  const searchFrom = range.start - delim.length; // object offset
  // Phase 2: the next record start ≥ end is the end of the first delimiter
  // occurrence that begins at or after end - delim.length.
  const stopSearchFrom = end - delim.length;
  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      let buf: Buffer = pending.length > 0 ? Buffer.concat([pending, r.value]) : r.value;
      if (!started) {
        const at = buf.indexOf(delim, Math.max(0, searchFrom - pos));
        if (at === -1) {
          // Keep the last delim.length - 1 bytes: a delimiter may straddle chunks.
          const keep = Math.min(buf.length, delim.length - 1);
          pos += buf.length - keep;
          pending = buf.subarray(buf.length - keep);
          continue;
        }
        const first = pos + at + delim.length;
        if (first >= end) return;
        buf = buf.subarray(first - pos);
        pos = first;
        started = true;
      }
      const bufEnd = pos + buf.length;
      if (bufEnd <= stopSearchFrom) {
        pending = Buffer.alloc(0);
        pos = bufEnd;
        yield buf;
        continue;
      }
      const at = buf.indexOf(delim, Math.max(0, stopSearchFrom - pos));
      if (at !== -1) {
        yield buf.subarray(0, at + delim.length);
        return;
      }
      // Hold back a possible delimiter prefix at the end of this chunk.
      const keep = Math.min(buf.length, delim.length - 1);
      if (buf.length > keep) yield buf.subarray(0, buf.length - keep);
      pos = bufEnd - keep;
      pending = buf.subarray(buf.length - keep);
    }
    if (started && pending.length > 0) yield pending;
  } finally {
    await it.return?.();
  }
}
