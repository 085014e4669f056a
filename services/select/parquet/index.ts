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
 * footer and page-header parsing, nested assembly and ZSTD decoder (fzstd),
 * each behind our own bounds checks (thrift-bounds.ts, page-stream.ts,
 * zstd-frames.ts, limits.ts), and decode the hot path ourselves (levels,
 * PLAIN, dictionaries, delta encodings, SNAPPY and LZ4): the library's
 * versions trust run lengths, block sizes and literal lengths from the file
 * (the mutation fuzz test found a SNAPPY page that kept its decoder busy for
 * seconds; a zero delta block size loops forever; an RLE run grows arrays
 * without bound), and decoding straight into S3 Select values, typed arrays
 * and unexpanded dictionary indices avoids a second pass.
 *
 * Speed (parquet-bench.ts, CPU time, 3M rows, ZSTD): the reader alone runs
 * at 6-9× DuckDB's single-threaded time on the benchmark's queries; the
 * largest costs are the pure-JS ZSTD decoder (~110 MB/s; node's native
 * zstd is used automatically on Node ≥ 22.15) and building one JS object per
 * row, which the record-at-a-time CompiledQuery contract requires.
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
  const env = { ...ctx, file, limits, batchRows: { rows: FIRST_BATCH_ROWS } };
  for (const group of layout.rowGroups) {
    signal?.throwIfAborted();
    if (query.done) return;
    if (group.numRows === 0) continue;
    if (!query.mayMatch(rowGroupStats(layout.columns, group))) continue;
    if (!(await readRowGroup(env, columns, group))) return;
  }
}
