/**
 * The columnar path (processColumns) against the row path (process on each
 * row's record): every query shape, over the same rows cut into batches of
 * several sizes, must give the same output rows, aggregate results and
 * errors. Data: seeded random columns of each kind a Parquet reader hands
 * over (typed arrays, value arrays with NULLs, dictionaries of numbers and of
 * strings, timestamps, text that is and is not numeric).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import type { BatchColumn, ColumnBatch, CompileOptions, OutputRow, SelectValue } from '../types.js';
import { compileQuery } from './index.js';
import { makeTimestamp } from './timestamp.js';

const PARQUET: CompileOptions = { format: 'Parquet', csvHeader: 'NONE' };

/** One column of the test table, whole (all rows). */
interface Column {
  readonly name: string;
  readonly values: ArrayLike<SelectValue>;
  readonly indices?: Int32Array;
}

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const ROWS = 300;

function table(seed = 7): Column[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const dict = (values: ArrayLike<SelectValue>) => Int32Array.from({ length: ROWS }, () => int(values.length));
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
function batches(cols: readonly Column[], sizes: readonly number[], rows = ROWS): ColumnBatch[] {
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

interface Outcome {
  readonly rows: OutputRow[];
  readonly error?: string;
}

function failure(e: unknown): string {
  if (!isS3Error(e)) throw e;
  return `${e.code}: ${e.message}`;
}

/** The row path, as a record reader drives it. */
function byRecords(sql: string, cols: readonly Column[], rows = ROWS): Outcome {
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
function byBatches(sql: string, input: readonly ColumnBatch[]): Outcome {
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

function assertSame(sql: string, cols: readonly Column[] = table(), rows = ROWS): Outcome {
  const expected = byRecords(sql, cols, rows);
  for (const sizes of SPLITS) {
    const got = byBatches(sql, batches(cols, sizes, rows));
    assert.deepEqual(plain(got), plain(expected), `${sql} in batches of ${sizes.join(', ')}`);
  }
  return expected;
}

const WHERE = [
  's.qty > 50',
  's.qty >= 50.5',
  's.qty = 3',
  's.qty <> 3',
  '50 < s.qty',
  's.qty > -5 AND s.n32 < 0',
  's.qty BETWEEN 10 AND 20',
  's.qty NOT BETWEEN 10 AND 20',
  's.n32 BETWEEN -10 AND 10',
  's.qty IN (1, 2, 3, 50)',
  's.qty NOT IN (1, 2)',
  's.price < 10',
  's.price = 30 OR s.price = -2',
  's.price < 30 AND s.cat = \'b\'',
  "s.cat IN ('a', 'b')",
  "s.cat IN ('a', NULL)",
  "s.cat NOT IN ('a', 'B')",
  's.cat IS NULL',
  's.cat IS NOT NULL',
  "s.cat > 'a'",
  "s.cat LIKE 'a%'",
  "s.name LIKE '%x'",
  "s.name NOT LIKE '_x'",
  "NOT (s.cat = 'a')",
  "s.cat = 'a' OR s.cat = 'c'",
  "s.qty > 90 OR s.cat = 'a'",
  's.qty > s.n32',
  's.name IS MISSING',
  's.nope IS MISSING',
  's.nope = 1',
  's.nope IS NULL AND s.qty < 10',
  's.flag',
  's.flag = true',
  's.flag IS NOT TRUE',
  's.maybe > 2',
  's.maybe = 40 AND s.qty > 20',
  "s.ts > TO_TIMESTAMP('2021-01-01T')",
  's.ts IS NULL',
  's.QTY > 50',
  's."qty" > 50',
  's."QTY" > 50',
  'qty > 95',
  'S3Object.qty > 95',
  '1 = 1 AND s.qty > 5',
  '1 = 0 AND s.qty > 5',
  's.qty > 90 AND CAST(s.name AS INT) > 5',
  'CAST(s.name AS INT) > 5 AND s.qty > 90',
  's.qty > 101 AND CAST(s.name AS INT) > 5',
  "s.qty * 2 > 100 AND s.cat = 'a'",
  "s.cat = 'a' AND s.qty * 2 > 100",
  "s.cat = 'ab' AND s.qty > 30 AND s.price <= 29.99",
  'CAST(s.name AS INT) > 5 AND s.qty > 101',
];

const SELECTS = [
  's.id, s.cat',
  '*',
  's.*',
  's.id, UPPER(s.cat)',
  's.cat AS c, s.qty * 2 AS q2',
  's',
  's.nope, s.id',
  'qty, S3Object.price',
];

describe('processColumns gives what process gives', () => {
  describe('WHERE shapes, with a projection and with COUNT(*)', () => {
    for (const where of WHERE) {
      it(where, () => {
        assertSame(`SELECT s.id, s.cat, s.qty FROM S3Object s WHERE ${where}`);
        assertSame(`SELECT COUNT(*) FROM S3Object s WHERE ${where}`);
      });
    }
  });

  describe('SELECT lists, with and without WHERE', () => {
    for (const items of SELECTS) {
      it(items, () => {
        assertSame(`SELECT ${items} FROM S3Object s`);
        assertSame(`SELECT ${items} FROM S3Object s WHERE s.qty > 70 AND s.cat <> 'b'`);
        assertSame(`SELECT ${items} FROM S3Object s WHERE CAST(s.name AS INT) > 5 OR s.qty > 90`);
      });
    }
  });

  const AGGREGATES = [
    'COUNT(*)',
    'COUNT(s.cat), COUNT(s.name), COUNT(s.nope)',
    'SUM(s.qty), AVG(s.qty), MIN(s.qty), MAX(s.qty)',
    'SUM(s.price), AVG(s.price), MIN(s.cat), MAX(s.cat)',
    'SUM(s.n32), AVG(s.n32), COUNT(*)',
    'SUM(s.maybe), AVG(s.maybe), MIN(s.maybe)',
    'MIN(s.ts), MAX(s.ts)',
    'SUM(s.qty * 2), AVG(s.qty + s.n32)',
    'COUNT(*), SUM(s.nope), MAX(s.nope)',
    'SUM(s.name)',
    'SUM(s.qty), SUM(s.cat)',
    'MIN(s.cat), SUM(s.cat)',
    'SUM(s.cat), MIN(s.name)',
    'MAX(s.flag), COUNT(s.flag)',
    'SUM(CAST(s.name AS INT))',
    'COUNT(*) * 2, SUM(s.qty) / COUNT(*)',
  ];

  describe('aggregates, with and without WHERE', () => {
    for (const agg of AGGREGATES) {
      it(agg, () => {
        assertSame(`SELECT ${agg} FROM S3Object s`);
        assertSame(`SELECT ${agg} FROM S3Object s WHERE s.qty > 40 AND s.price < 50`);
        assertSame(`SELECT ${agg} FROM S3Object s WHERE s.qty > 40 AND s.name <> '7'`);
        assertSame(`SELECT ${agg} FROM S3Object s WHERE CAST(s.name AS INT) < 10 AND s.qty > 20`);
      });
    }
  });

  describe('LIMIT', () => {
    const cases = [
      'SELECT s.id FROM S3Object s LIMIT 5',
      'SELECT s.id FROM S3Object s LIMIT 1',
      'SELECT s.id FROM S3Object s LIMIT 0',
      "SELECT s.id, s.cat FROM S3Object s WHERE s.cat = 'c' LIMIT 3",
      'SELECT * FROM S3Object s WHERE s.qty > 50 AND s.name IS NOT NULL LIMIT 12',
      'SELECT UPPER(s.name) FROM S3Object s WHERE s.qty < 20 LIMIT 4',
      'SELECT COUNT(*) FROM S3Object s LIMIT 1',
      'SELECT COUNT(*) FROM S3Object s LIMIT 0',
      'SELECT s.id FROM S3Object s LIMIT 1000',
    ];
    for (const sql of cases) it(sql, () => void assertSame(sql));

    it('stops at the LIMIT and says done', () => {
      const q = compileQuery('SELECT s.id FROM S3Object s WHERE s.qty > 50 LIMIT 3', PARQUET);
      const out: OutputRow[] = [];
      q.processColumns!(batches(table(), [ROWS])[0]!, (r) => out.push(r));
      assert.equal(out.length, 3);
      assert.equal(q.done, true);
    });
  });

  describe('errors come from the same row', () => {
    const cases = [
      'SELECT CAST(s.name AS INT) FROM S3Object s WHERE s.qty > 30',
      'SELECT s.id FROM S3Object s WHERE CAST(s.name AS INT) > 0',
      'SELECT s.id FROM S3Object s WHERE s.qty > 60 AND CAST(s.name AS INT) > 0',
      'SELECT SUM(s.name) FROM S3Object s WHERE s.qty > 60',
    ];
    for (const sql of cases) {
      it(sql, () => {
        const outcome = assertSame(sql);
        assert.ok(outcome.error, 'the query fails');
      });
    }
  });

  describe('column names', () => {
    const numbers = (name: string, k: number): Column => ({
      name,
      values: Float64Array.from({ length: ROWS }, (_, i) => (i * k) % 97),
    });
    const cases: { name: string; cols: Column[]; sql: string[] }[] = [
      {
        name: 'exact before case-insensitive',
        cols: [numbers('Qty', 3), numbers('qty', 5)],
        sql: ['SELECT s.qty, s.Qty, s.QTY FROM S3Object s WHERE s.qty > 10', 'SELECT * FROM S3Object s'],
      },
      {
        name: 'two names equal but for case (AmbiguousFieldName)',
        cols: [numbers('Ab', 3), numbers('aB', 5)],
        sql: [
          'SELECT s.ab FROM S3Object s',
          'SELECT COUNT(*) FROM S3Object s WHERE s.AB > 3',
          'SELECT s.Ab FROM S3Object s WHERE s.Ab > 3',
        ],
      },
      {
        name: 'a record that could read as a timestamp',
        cols: [numbers('KIND', 1), numbers('x', 2)],
        sql: ['SELECT s.kind, s.X FROM S3Object s WHERE s.X > 50'],
      },
      {
        name: 'integer-like names come first in a record',
        cols: [numbers('b', 1), numbers('1', 2), numbers('0', 3)],
        sql: ['SELECT * FROM S3Object s WHERE s."1" > 20', 'SELECT s."0" FROM S3Object s'],
      },
      {
        name: 'a repeated name keeps its first place and its last value',
        cols: [numbers('x', 1), numbers('y', 2), numbers('x', 3)],
        sql: ['SELECT * FROM S3Object s', 'SELECT s.x FROM S3Object s WHERE s.x > 40', 'SELECT SUM(s.x) FROM S3Object s'],
      },
      {
        name: '__proto__ is a column like any other',
        cols: [numbers('__proto__', 1), numbers('y', 2)],
        sql: ['SELECT * FROM S3Object s WHERE s."__proto__" > 40', 'SELECT SUM(s."__proto__") FROM S3Object s'],
      },
      {
        name: 'no columns at all',
        cols: [],
        sql: ['SELECT COUNT(*) FROM S3Object s', 'SELECT 1 FROM S3Object s LIMIT 3', 'SELECT * FROM S3Object s LIMIT 2'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        for (const sql of c.sql) assertSame(sql, c.cols);
      });
    }
  });

  describe('a conjunct that can throw runs where the row path runs it', () => {
    const text = (name: string, values: SelectValue[]): Column => ({ name, values });
    const cols = [
      text('m', [null, 5, 1, 7]),
      text('name', ['bad1', 'bad2', 'bad3', 'bad4']),
      { name: 'k', values: ['x', 'y'], indices: Int32Array.from([0, 1, 1, 0]) },
    ];
    const cases = [
      // m > 2 is unknown for the first row, so the row path goes on to the CAST.
      ['SELECT * FROM S3Object s WHERE s.m > 2 AND CAST(s.name AS INT) > 0', 'bad1'],
      // The CAST comes first: the row path never gets to k = 'y'.
      ["SELECT * FROM S3Object s WHERE CAST(s.name AS INT) > 0 AND s.k = 'y'", 'bad1'],
      ["SELECT COUNT(*) FROM S3Object s WHERE s.k = 'y' AND CAST(s.name AS INT) > 0", 'bad2'],
      ["SELECT s.m FROM S3Object s WHERE s.k = 'x' AND s.m > 6 OR CAST(s.name AS INT) > 0", 'bad1'],
      ['SELECT SUM(s.m), SUM(s.name) FROM S3Object s WHERE s.m > 2', "'bad2'"],
      ['SELECT SUM(s.name), MIN(s.k) FROM S3Object s', "'bad1'"],
    ] as const;
    for (const [sql, failsOn] of cases) {
      it(sql, () => {
        const outcome = assertSame(sql, cols, 4);
        assert.match(outcome.error ?? '', new RegExp(failsOn));
      });
    }
  });

  it('a dictionary predicate runs once per dictionary entry, not per row', () => {
    let calls = 0;
    const cats: SelectValue[] = ['a', 'b', 'c'];
    const counting = new Proxy(cats, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) calls++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const cols: Column[] = [{ name: 'cat', values: counting, indices: Int32Array.from({ length: ROWS }, (_, i) => i % 3) }];
    const got = byBatches("SELECT COUNT(*) FROM S3Object s WHERE s.cat = 'b'", batches(cols, [50]));
    assert.deepEqual(got.rows[0]!.values, [ROWS / 3]);
    assert.equal(calls, cats.length);
  });

  it('FROM paths that unnest do not take batches', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object[*].a[*] s', PARQUET).processColumns, undefined);
    assert.notEqual(compileQuery('SELECT * FROM S3Object[*] s', PARQUET).processColumns, undefined);
  });
});
