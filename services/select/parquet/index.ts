/**
 * Parquet input for S3 Select: reads only what a query needs from an object
 * with random access: the footer, then, row group by row group, only the
 * column chunks of the columns the query uses, skipping row groups whose
 * min/max statistics rule out the WHERE clause (CompiledQuery.mayMatch).
 * Rows go to the batch sink in batches of columns (the columnar path, for
 * queries with processColumns) or to the record sink one record at a time;
 * reading stops as soon as the sink or the query's LIMIT says so.
 *
 * Library: hyparquet (+ hyparquet-compressors), not parquetjs-lite.
 * parquetjs-lite, the starting choice, cannot read ZSTD, BROTLI, LZ4 or
 * LZ4_RAW (its compression table has only UNCOMPRESSED, GZIP and SNAPPY;
 * BROTLI and LZO throw "Not Supported in Lite version"), and ZSTD is what
 * DuckDB, Spark and pandas commonly write; its reader fetches whole row
 * groups through its own file handle rather than byte ranges of our choosing.
 * hyparquet is pure JS, reads byte ranges through a caller-supplied buffer
 * interface, decodes every codec Parquet defines except LZO with
 * hyparquet-compressors, and handles the nested (Dremel) assembly. We use its
 * footer and page-header parsing and nested assembly, and its pure-JS ZSTD
 * decoder (fzstd) only where no native one loads (zstd.ts), each behind our
 * own bounds checks (thrift-bounds.ts, page-stream.ts, zstd-frames.ts,
 * limits.ts), and decode the hot path ourselves (levels,
 * PLAIN, dictionaries, delta encodings, SNAPPY and LZ4): the library's
 * versions trust run lengths, block sizes and literal lengths from the file
 * (the mutation fuzz test found a SNAPPY page that kept its decoder busy for
 * seconds; a zero delta block size loops forever; an RLE run grows arrays
 * without bound), and decoding straight into S3 Select values, typed arrays
 * and unexpanded dictionary indices avoids a second pass.
 *
 * Speed: the columnar path (CompiledQuery.processColumns fed ColumnBatches,
 * dictionary columns left as indices and decoded slice by slice, predicates
 * run once per dictionary entry, records made only for rows that need them)
 * and native ZSTD (zstd-napi on Node 20) take the benchmark's queries from
 * 7-18× DuckDB's single-threaded time to about 1.2-1.8× (parquet-bench.ts,
 * in-process; through the S3 API 1.3-1.5× wall time, `npm run bench:select`).
 * LIMIT: batches start at 256 rows and grow to 8192, so a LIMIT met early
 * decodes one small batch per column (beyond decompressing its pages).
 *
 * Conventions:
 * - Records are plain objects keyed by the exact Parquet top-level column
 *   names, in schema order; the statistics given to mayMatch use the same keys.
 * - ScanCounters.bytesScanned counts bytes read from the object (footer and
 *   column chunks; skipped row groups and unread columns cost nothing);
 *   bytesProcessed counts the decompressed bytes decoded (page headers and
 *   uncompressed page sizes).
 * - Value mapping: see leaf-type.ts.
 * - Every failure caused by the file is an S3Error: ParquetParsingError,
 *   UnsupportedParquetType or ParquetUnsupportedCompressionCodec.
 */
import type { BatchSink, CompiledQuery, RecordSink, ScanCounters } from '../types.js';
import { selectColumns } from './columns.js';
import { readFooter } from './footer.js';
import { fileLayout } from './layout.js';
import { DEFAULT_PARQUET_LIMITS, type ParquetLimits } from './limits.js';
import { guarded } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';
import { ReadAhead } from './read-ahead.js';
import { FIRST_BATCH_ROWS, readRowGroup } from './row-group-reader.js';
import { rowGroupStats } from './stats.js';

export { bufferAsRandomAccess, objectAsRandomAccess, type RandomAccessObject } from './random-access.js';
export { DEFAULT_PARQUET_LIMITS, type ParquetLimits } from './limits.js';

export interface ParquetReadContext {
  readonly query: CompiledQuery;
  readonly sink: RecordSink;
  /**
   * The columnar path: when given, rows go here in batches (ColumnBatch)
   * instead of to `sink` as records. Give it only for a query with
   * processColumns.
   */
  readonly batchSink?: BatchSink;
  readonly counters: ScanCounters;
  readonly signal?: AbortSignal;
  /** Overrides of DEFAULT_PARQUET_LIMITS. */
  readonly limits?: Partial<ParquetLimits>;
}

export async function readParquet(object: RandomAccessObject, ctx: ParquetReadContext): Promise<void> {
  const limits: ParquetLimits = { ...DEFAULT_PARQUET_LIMITS, ...ctx.limits };
  const { query, signal } = ctx;
  const { metadata, footerStart, file } = await readFooter(object, limits);
  const layout = guarded(() => fileLayout(metadata, footerStart, limits));
  const columns = selectColumns(layout.columns, query.projection);
  const ahead = new ReadAhead(file);
  const env = { ...ctx, file: ahead, limits, batchRows: { rows: FIRST_BATCH_ROWS }, pageBuffers: new Map() };
  // Whether each row group is to be read (asked of the query once, when first needed).
  const wanted: (boolean | undefined)[] = [];
  const isWanted = (i: number): boolean => {
    const group = layout.rowGroups[i]!;
    wanted[i] ??= group.numRows > 0 && query.mayMatch(rowGroupStats(layout.columns, group));
    return wanted[i]!;
  };
  let read = 0;
  for (let i = 0; i < layout.rowGroups.length; i++) {
    signal?.throwIfAborted();
    if (query.done) return;
    if (!isWanted(i)) continue;
    // From the second row group read on (a LIMIT is often met in the first),
    // the next wanted group is read ahead while this one is decoded.
    if (read++ > 0) {
      let next = i + 1;
      while (next < layout.rowGroups.length && !isWanted(next)) next++;
      if (next < layout.rowGroups.length) ahead.prefetch(columns, layout.rowGroups[next]!);
    }
    if (!(await readRowGroup(env, columns, layout.rowGroups[i]!))) return;
  }
}
