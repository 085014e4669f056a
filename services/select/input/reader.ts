/**
 * The entry points of the CSV and JSON readers, decompression and ScanRange,
 * as the SelectObjectContent orchestration calls them.
 *
 *   const body = decompressed(storeStream, compressionType, { maxDecompressedBytes });
 *   await readCsv(body, csvOptions, { projection, sink, bindHeader, counters, signal });
 *   await readJson(body, jsonOptions, { projection, sink, counters, signal });
 *
 * Writers live next door: output/csv-writer.ts `createCsvWriter(opts)` and
 * output/json-writer.ts `createJsonWriter(opts)`, both returning a RowWriter.
 *
 * Readers:
 * - pull Buffers from `input` (any AsyncIterable<Buffer>: a Readable works),
 *   decode UTF-8 (a character split between chunks is fine), and hand each
 *   record to `sink`; when `sink` returns false (LIMIT satisfied) they return
 *   at once and stop pulling, which ends the iteration and so destroys a
 *   Readable `input`. When `signal` aborts they also return (the client is gone).
 * - add to `counters.bytesProcessed` the (decompressed) bytes they consume.
 *   `bytesScanned` (bytes read from the store) is the caller's to count.
 * - throw S3Error for bad input (CSVParsingError, CSVUnescapedQuote,
 *   CSVEscapingRecordDelimiter, JSONParsingError, OverMaxRecordSize, and the
 *   decompressor's InvalidCompressionFormat / TruncatedInput); an error of the
 *   input stream itself (e.g. a store read failure) is rethrown unchanged.
 *
 * ScanRange (CSV and JSON LINES only; the caller rejects it elsewhere):
 * - Convert the request's <ScanRange> with `resolveScanRange(start, end, size)`
 *   (S3's End is inclusive and End alone means "the last N bytes").
 * - Open the object at `scanRangeOpenOffset(range, recordDelimiter)` — a few
 *   bytes before `start`, so that the reader can tell whether `start` itself
 *   begins a record — and to the END OF THE OBJECT (not to range.end: the record
 *   that straddles the end is read whole; the reader stops pulling after it).
 *   Pass `scanRange` and that same `inputOffset` in the context.
 * - A record is processed when its first byte lies in [start, end): the partial
 *   record at `start` is skipped, the one straddling `end` is processed whole.
 * - CSV with FileHeaderInfo USE and start > 0: the header is the object's first
 *   record, which lies before the range; pass `openHeader` (opens the object at
 *   byte 0) and the reader reads just that record from it (it is required then).
 *   With IGNORE, the first line is skipped only when the range starts at 0.
 * - Offsets are in the bytes the reader sees (ScanRange is for uncompressed objects).
 */
import type {
  CsvInputOptions,
  CsvRow,
  JsonInputOptions,
  Projection,
  RecordSink,
  ScanCounters,
  ScanRange,
} from '../types.js';

/** What every reader gets besides its input and options. */
export interface ReaderContext {
  /** What the query reads (CSV: fields past the last needed one are not split out; with onlyThese, unused ones before it are ''). */
  readonly projection: Projection;
  /** Receives each record; false = stop reading now. */
  readonly sink: RecordSink;
  readonly counters: ScanCounters;
  readonly signal?: AbortSignal;
  /** Process only records that start in [start, end). */
  readonly scanRange?: ScanRange;
  /**
   * Offset in the object of `input`'s first byte. With a scanRange it must be
   * `scanRangeOpenOffset(scanRange, recordDelimiter)` (the default); else 0.
   */
  readonly inputOffset?: number;
}

export interface CsvReaderContext extends ReaderContext {
  /** FileHeaderInfo USE: called once with the header row, before any record. */
  readonly bindHeader: (header: CsvRow) => void;
  /** Required for USE with scanRange.start > 0: opens the object at byte 0 to read the header. */
  readonly openHeader?: () => AsyncIterable<Buffer>;
}

export type JsonReaderContext = ReaderContext;

export type ReadCsv = (
  input: AsyncIterable<Buffer>,
  opts: CsvInputOptions,
  ctx: CsvReaderContext,
) => Promise<void>;

export type ReadJson = (
  input: AsyncIterable<Buffer>,
  opts: JsonInputOptions,
  ctx: JsonReaderContext,
) => Promise<void>;

export { readCsv } from './csv-reader.js';
export { readJson } from './json-reader.js';
export { decompressed, type CompressionType, type DecompressLimits } from './decompress.js';
export { resolveScanRange, scanRangeOpenOffset } from './scan-range.js';
