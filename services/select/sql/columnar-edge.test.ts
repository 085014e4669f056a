/**
 * The columnar path against the row path where they could part: how column
 * names resolve (case, duplicates, integer-like names, __proto__, records that
 * look like timestamps), where a conjunct that can throw runs, and how often
 * a dictionary predicate runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectValue } from '../types.js';
import { assertSame, batches, byBatches, PARQUET, ROWS, type Column } from './columnar-test-kit.js';
import { compileQuery } from './index.js';

describe('processColumns gives what process gives: edge cases', () => {
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
        cols: [
          { name: 'kind', values: Array.from({ length: ROWS }, (_, i) => (i % 3 ? 'timestamp' : 'other')) },
          numbers('epochMs', 1000),
          numbers('nanos', 1),
          numbers('offsetMinutes', 0),
          { name: 'precision', values: Array.from({ length: ROWS }, () => 'second') },
          numbers('X', 2),
        ],
        sql: [
          'SELECT * FROM S3Object s WHERE s.X > 50',
          'SELECT s.x, s.Kind FROM S3Object s',
          'SELECT COUNT(*) FROM S3Object s WHERE s.x > 10',
        ],
      },
      {
        name: 'integer-like names come first in a record',
        cols: [numbers('b', 1), numbers('1', 2), numbers('0', 3)],
        sql: ['SELECT * FROM S3Object s WHERE s."1" > 20', 'SELECT s."0" FROM S3Object s'],
      },
      {
        name: 'a repeated name keeps its first place and its last value',
        cols: [numbers('x', 1), numbers('y', 2), numbers('x', 3)],
        sql: [
          'SELECT * FROM S3Object s',
          'SELECT s.x FROM S3Object s WHERE s.x > 40',
          'SELECT SUM(s.x) FROM S3Object s',
        ],
      },
      {
        name: '__proto__ is a column like any other',
        cols: [numbers('__proto__', 1), numbers('y', 2)],
        sql: [
          'SELECT * FROM S3Object s WHERE s."__proto__" > 40',
          'SELECT SUM(s."__proto__") FROM S3Object s',
        ],
      },
      {
        name: 'no columns at all',
        cols: [],
        sql: [
          'SELECT COUNT(*) FROM S3Object s',
          'SELECT 1 FROM S3Object s LIMIT 3',
          'SELECT * FROM S3Object s LIMIT 2',
        ],
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
    const cols: Column[] = [
      { name: 'cat', values: counting, indices: Int32Array.from({ length: ROWS }, (_, i) => i % 3) },
    ];
    const got = byBatches("SELECT COUNT(*) FROM S3Object s WHERE s.cat = 'b'", batches(cols, [50]));
    assert.deepEqual(got.rows[0]!.values, [ROWS / 3]);
    assert.equal(calls, cats.length);
  });

  it('FROM paths that unnest do not take batches', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object[*].a[*] s', PARQUET).processColumns, undefined);
    assert.notEqual(compileQuery('SELECT * FROM S3Object[*] s', PARQUET).processColumns, undefined);
  });
});
