/**
 * Test support for the columnar path's tests: a seeded table of columns of
 * each kind a Parquet reader hands over (typed arrays, value arrays with
 * NULLs, dictionaries of numbers and of strings, timestamps, text that is and
 * is not numeric), cut into batches, and the two ways of running a query over
 * it: process() on each row's record, processColumns() on each batch. Not a
 * test file itself.
 */
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import type { BatchColumn, ColumnBatch, CompileOptions, OutputRow, SelectValue } from '../types.js';
import { compileQuery } from './index.js';
import { makeTimestamp } from './timestamp.js';
import { xorshift32 } from '../../../test/helpers/seeded-random.js';

export const PARQUET: CompileOptions = { format: 'Parquet', csvHeader: 'NONE' };

/** One column of the test table, whole (all rows). */
export interface Column {
  readonly name: string;
  readonly values: ArrayLike<SelectValue>;
  readonly indices?: Int32Array;
}

export const ROWS = 300;

export function table(seed = 7): Column[] {
  const rnd = xorshift32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const dict = (values: ArrayLike<SelectValue>) =>
    Int32Array.from({ length: ROWS }, () => int(values.length));
  const cats: SelectValue[] = ['a', 'b', 'c', 'ab', 'B', null];
  const prices = Float64Array.from([1.5, 10, 29.99, 30, 100, -2]);
  return [
    { name: 'id', values: Float64Array.from({ length: ROWS }, (_, i) => i) },
    { name: 'qty', values: Float64Array.from({ length: ROWS }, () => int(100) + 1) },
    { name: 'n32', values: Int32Array.from({ length: ROWS }, () => int(200) - 100) },
    { name: 'price', values: prices, indices: dict(prices) },
    { name: 'cat', values: cats, indices: dict(cats) },
    {
      name: 'name',
      values: Array.from({ length: ROWS }, () => pick<SelectValue>(['x1', 'ax', '7', '12', 'zz', null, ''])),
    },
    { name: 'flag', values: Array.from({ length: ROWS }, () => pick<SelectValue>([true, false, null])) },
    {
      name: 'ts',
      values: Array.from({ length: ROWS }, () =>
        rnd() < 0.1 ? null : makeTimestamp(1.6e12 + int(1e9) * 1000, 0, 0, 'second'),
      ),
    },
    { name: 'maybe', values: Array.from({ length: ROWS }, () => pick<SelectValue>([1, 2.5, null, 40])) },
  ];
}

function valueAt(c: Column, row: number): SelectValue {
  return c.indices ? c.values[c.indices[row]!] : c.values[row];
}

/** The table cut into batches of the given sizes (the last one repeats). */
export function batches(cols: readonly Column[], sizes: readonly number[], rows = ROWS): ColumnBatch[] {
  const out: ColumnBatch[] = [];
  for (let at = 0, k = 0; at < rows; k++) {
    const n = Math.min(sizes[Math.min(k, sizes.length - 1)]!, rows - at);
    const columns = cols.map((c): BatchColumn => {
      if (c.indices) return { name: c.name, values: c.values, indices: c.indices.subarray(at, at + n) };
      const v = c.values;
      const values = ArrayBuffer.isView(v)
        ? (v as Float64Array).subarray(at, at + n)
        : Array.prototype.slice.call(v, at, at + n);
      return { name: c.name, values, indices: undefined };
    });
    out.push({ length: n, columns });
    at += n;
  }
  return out;
}

export interface Outcome {
  readonly rows: OutputRow[];
  readonly error?: string;
}

function failure(e: unknown): string {
  if (!isS3Error(e)) throw e;
  return `${e.code}: ${e.message}`;
}

/** The row path, as a record reader drives it. */
export function byRecords(sql: string, cols: readonly Column[], rows = ROWS): Outcome {
  const q = compileQuery(sql, PARQUET);
  const out: OutputRow[] = [];
  try {
    for (let r = 0; r < rows && !q.done; r++) {
      const record = Object.fromEntries(cols.map((c) => [c.name, valueAt(c, r)]));
      const row = q.process(record);
      if (row !== undefined) out.push(row);
    }
    const last = q.finish();
    if (last !== undefined) out.push(last);
    return { rows: out };
  } catch (e) {
    return { rows: out, error: failure(e) };
  }
}

/** The columnar path, as the Parquet reader drives it. */
export function byBatches(sql: string, input: readonly ColumnBatch[]): Outcome {
  const q = compileQuery(sql, PARQUET);
  assert.ok(q.processColumns, 'the query takes batches');
  const out: OutputRow[] = [];
  try {
    for (const b of input) {
      if (q.done) break;
      q.processColumns(b, (row) => out.push(row));
    }
    const last = q.finish();
    if (last !== undefined) out.push(last);
    return { rows: out };
  } catch (e) {
    return { rows: out, error: failure(e) };
  }
}

const plain = (o: Outcome) => ({
  error: o.error,
  rows: o.rows.map((r) => ({ names: [...r.names], values: [...r.values] })),
});

const SPLITS: readonly (readonly number[])[] = [[ROWS], [1, 7, 64], [100], [33, 1]];

export function assertSame(sql: string, cols: readonly Column[] = table(), rows = ROWS): Outcome {
  const expected = byRecords(sql, cols, rows);
  for (const sizes of SPLITS) {
    const got = byBatches(sql, batches(cols, sizes, rows));
    assert.deepEqual(plain(got), plain(expected), `${sql} in batches of ${sizes.join(', ')}`);
  }
  return expected;
}
