/**
 * Turns one row group's column batches into records ({column: value}, keys in
 * schema order, exact Parquet names) and hands them to the sink, stopping as
 * soon as the sink or the query says so.
 */
import type { CompiledQuery, RecordSink, ScanCounters, SelectValue } from '../types.js';
import { columnBatches, type ColumnBatches } from './column-reader.js';
import type { ColumnBatch } from './page-slices.js';
import type { RowGroupLayout, TopColumn } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { asParquetError, parquetParsingError } from './parquet-errors.js';
import type { Values } from './plain.js';
import type { RandomAccessObject } from './random-access.js';

export interface RowGroupContext {
  readonly file: RandomAccessObject;
  readonly limits: ParquetLimits;
  readonly counters: ScanCounters;
  readonly query: CompiledQuery;
  readonly sink: RecordSink;
  readonly signal?: AbortSignal;
}

/** Work between two yields to the event loop, so that one scan never starves the server. */
const SLICE_MS = 20;
let sliceStart = performance.now();

async function yieldIfLong(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

type Indices = Int32Array | undefined;
/** Builds the record at row `i` of the current batches (v: values, x: indices, o: offsets). */
type RecordFactory = (v: Values[], x: Indices[], o: number[], i: number) => Record<string, SelectValue>;

/**
 * Record builders, one per combination of plain / dictionary batches: each
 * makes a record as a single object literal, so every record shares one
 * hidden class and is built without keyed stores or per-field branches (the
 * hot path of every Parquet scan). Names enter the source only through
 * JSON.stringify, which always yields a valid JS string literal.
 */
function recordFactories(names: readonly string[]): (mask: number) => RecordFactory {
  const cache = new Map<number, RecordFactory>();
  // A literal "__proto__" key would set the prototype; as a computed key it is a field.
  const key = (n: string) => (n === '__proto__' ? `[${JSON.stringify(n)}]` : JSON.stringify(n));
  return (mask) => {
    let f = cache.get(mask);
    if (!f) {
      const fields = names.map((n, j) =>
        mask & (1 << j) ? `${key(n)}: v[${j}][x[${j}][o[${j}] + i]]` : `${key(n)}: v[${j}][o[${j}] + i]`,
      );
      f = new Function('v', 'x', 'o', 'i', `return { ${fields.join(', ')} };`) as RecordFactory;
      cache.set(mask, f);
    }
    return f;
  };
}

async function nextBatch(ctx: RowGroupContext, reader: ColumnBatches): Promise<ColumnBatch> {
  let batch: ColumnBatch | undefined;
  try {
    batch = await reader.next();
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    throw asParquetError(e);
  }
  if (!batch) throw parquetParsingError('column ended before its row group');
  return batch;
}

/** Emits the records of a row group; false when reading should stop (LIMIT, sink). */
export async function readRowGroup(
  ctx: RowGroupContext,
  columns: readonly TopColumn[],
  group: RowGroupLayout,
): Promise<boolean> {
  const { sink, query } = ctx;
  const total = group.numRows;
  const k = columns.length;
  if (k === 0) {
    // e.g. SELECT COUNT(*): no column chunk is read at all.
    for (let r = 0; r < total; r++) {
      if (!sink({}) || query.done) return false;
      if ((r & 0xffff) === 0xffff) await yieldIfLong();
    }
    return true;
  }
  // Bit masks of dictionary batches need one bit per column.
  const factories = recordFactories(columns.map((c) => c.name));
  const wide = k > 30;
  const readers = columns.map((c) => columnBatches(ctx, c, group));
  const lengths = new Array<number>(k).fill(0);
  const values = new Array<Values>(k).fill([]);
  const indices = new Array<Indices>(k).fill(undefined);
  const offsets = new Array<number>(k).fill(0);
  let emitted = 0;
  while (emitted < total) {
    ctx.signal?.throwIfAborted();
    let n = total - emitted;
    let mask = 0;
    for (let j = 0; j < k; j++) {
      while (offsets[j] === lengths[j]) {
        const b = await nextBatch(ctx, readers[j]!);
        if (b.indices && wide) {
          // Too many columns for a mask: expand the dictionary.
          values[j] = Array.from(b.indices, (ix) => b.values[ix]);
          indices[j] = undefined;
        } else {
          values[j] = b.values;
          indices[j] = b.indices;
        }
        lengths[j] = b.length;
        offsets[j] = 0;
      }
      if (indices[j]) mask |= 1 << j;
      n = Math.min(n, lengths[j]! - offsets[j]!);
    }
    const make = factories(mask);
    for (let i = 0; i < n; i++) {
      if (!sink(make(values, indices, offsets, i)) || query.done) return false;
    }
    for (let j = 0; j < k; j++) offsets[j]! += n;
    emitted += n;
    await yieldIfLong();
  }
  return true;
}
