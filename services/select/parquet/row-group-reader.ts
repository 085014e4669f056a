/**
 * Reads one row group's columns in lined-up batches of rows and hands them
 * on, stopping as soon as the sink or the query says so:
 * - to a BatchSink as they are (the columnar path: dictionary columns stay
 *   indices into their dictionary, and no per-row object is made here), or
 * - to a RecordSink as records ({column: value}, keys in schema order, exact
 *   Parquet names), one per row.
 * Batches start small and grow (up to MAX_BATCH_ROWS), so that a LIMIT met in
 * the first rows decodes little.
 */
import { BatchRecords } from '../batch-records.js';
import type { BatchColumn, BatchSink, CompiledQuery, RecordSink, ScanCounters } from '../types.js';
import type { PageBuffer } from './codecs.js';
import { columnRows, type ColumnRows } from './column-reader.js';
import type { RowGroupLayout, TopColumn } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { asParquetError } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';

export interface RowGroupContext {
  readonly file: RandomAccessObject;
  readonly limits: ParquetLimits;
  readonly counters: ScanCounters;
  readonly query: CompiledQuery;
  readonly sink: RecordSink;
  /** When given, rows go here in batches instead of to `sink`. */
  readonly batchSink?: BatchSink;
  readonly signal?: AbortSignal;
  /** Rows of the next batch; grows per batch across the scan's row groups. */
  readonly batchRows: { rows: number };
  /** Decompression buffers per leaf column, reused across row groups. */
  readonly pageBuffers?: Map<number, PageBuffer>;
}

export const FIRST_BATCH_ROWS = 256;
const MAX_BATCH_ROWS = 8192;

/** Work between two yields to the event loop, so that one scan never starves the server. */
const SLICE_MS = 20;
let sliceStart = performance.now();

/** Whether this slice of work has run long enough to yield. */
function sliceIsLong(): boolean {
  return performance.now() - sliceStart >= SLICE_MS;
}

async function yieldToEventLoop(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

async function available(ctx: RowGroupContext, reader: ColumnRows): Promise<number> {
  try {
    return await reader.available();
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    throw asParquetError(e);
  }
}

/** The next batch size, doubling up to the maximum. */
function nextBatchRows(ctx: RowGroupContext): number {
  const n = ctx.batchRows.rows;
  ctx.batchRows.rows = Math.min(MAX_BATCH_ROWS, n * 2);
  return n;
}

/** Emits the rows of a row group; false when reading should stop (LIMIT, sink). */
export async function readRowGroup(
  ctx: RowGroupContext,
  columns: readonly TopColumn[],
  group: RowGroupLayout,
): Promise<boolean> {
  const { sink, batchSink, query } = ctx;
  const total = group.numRows;
  const readers = columns.map((c) => columnRows(ctx, c, group));
  const records = batchSink ? undefined : new BatchRecords();
  let emitted = 0;
  while (emitted < total) {
    ctx.signal?.throwIfAborted();
    let n = Math.min(total - emitted, nextBatchRows(ctx));
    // e.g. SELECT COUNT(*) reads no column chunk at all: the batch has only a length.
    // Awaited only when a column must read its next page: a promise per column
    // per batch costs more than it looks (async hooks run for each one).
    for (const reader of readers) {
      const now = reader.ready();
      n = Math.min(n, now > 0 ? now : await available(ctx, reader));
    }
    const batch = {
      length: n,
      columns: readers.map((reader, j): BatchColumn => {
        const b = reader.take(n);
        return { name: columns[j]!.name, values: b.values, indices: b.indices };
      }),
    };
    if (batchSink) {
      if (!batchSink(batch) || query.done) return false;
    } else {
      const record = records!.of(batch);
      for (let i = 0; i < n; i++) if (!sink(record(i)) || query.done) return false;
    }
    emitted += n;
    if (sliceIsLong()) await yieldToEventLoop();
  }
  return true;
}
