import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CsvRow, SelectValue } from '../types.js';
import { compileQuery } from './index.js';
import { assertS3Error, CSV_NONE, runQuery } from './test-support.js';

function values(
  sql: string,
  records: readonly (CsvRow | SelectValue)[],
  opts = CSV_NONE,
): readonly SelectValue[] {
  const rows = runQuery(sql, records, opts);
  assert.equal(rows.length, 1, 'an aggregate query gives one row');
  return rows[0]!.values;
}

// Generated numbers; expected results are computed here with plain loops.
const N = 500;
const nums = Array.from({ length: N }, (_, i) => ((i * 37) % 101) / 4 - 7.5);
const ints = Array.from({ length: N }, (_, i) => (i * 7919) % 1000);
const CSV: CsvRow[] = nums.map((x, i) => [String(i), x.toFixed(2), String(ints[i]), i % 3 === 0 ? '' : 'v']);

describe('aggregates over CSV text', () => {
  it('COUNT(*), COUNT(x), SUM, AVG, MIN, MAX', () => {
    let sum = 0;
    let isum = 0;
    for (let i = 0; i < N; i++) {
      sum += Number(nums[i]!.toFixed(2));
      isum += ints[i]!;
    }
    const [count, sumF, avgF, sumI, minI, maxI, minF] = values(
      'SELECT COUNT(*), SUM(CAST(s._2 AS FLOAT)), AVG(CAST(s._2 AS FLOAT)), SUM(CAST(s._3 AS INT)), MIN(s._3), MAX(s._3), MIN(CAST(s._2 AS FLOAT)) FROM S3Object s',
      CSV,
    );
    assert.equal(count, N);
    assert.equal(sumF, sum);
    assert.equal(avgF, sum / N);
    assert.equal(sumI, isum);
    assert.ok(Number.isInteger(sumI));
    assert.equal(minI, Math.min(...ints));
    assert.equal(maxI, Math.max(...ints));
    assert.equal(minF, Math.min(...nums.map((x) => Number(x.toFixed(2)))));
  });

  it('SUM and AVG read CSV text as numbers, skipping empty fields', () => {
    const rows: CsvRow[] = [['80'], ['81'], [''], ['1.5']];
    assert.deepEqual(values('SELECT SUM(s._1), AVG(s._1), COUNT(s._1) FROM S3Object s', rows), [
      162.5,
      162.5 / 3,
      4,
    ]);
  });

  it('AVG of integers is a decimal', () => {
    assert.deepEqual(values('SELECT AVG(CAST(s._1 AS INT)) FROM S3Object s', [['80'], ['81']]), [80.5]);
  });

  it('with WHERE and expressions over aggregates', () => {
    const expected = ints.filter((x) => x > 500).length;
    assert.deepEqual(
      values('SELECT COUNT(*) * 2, COUNT(*) FROM S3Object s WHERE CAST(s._3 AS INT) > 500', CSV),
      [expected * 2, expected],
    );
  });

  it('COUNT(x) skips MISSING columns', () => {
    assert.deepEqual(values('SELECT COUNT(s._2), COUNT(*) FROM S3Object s', [['a', 'b'], ['c']]), [1, 2]);
  });

  it('over no rows: COUNT 0, the others NULL', () => {
    assert.deepEqual(
      values(
        "SELECT COUNT(*), SUM(s._1), AVG(s._1), MIN(s._1), MAX(s._1) FROM S3Object s WHERE s._1 = 'none'",
        CSV,
      ),
      [0, null, null, null, null],
    );
  });

  it('MIN and MAX of non-numeric CSV text order it as strings', () => {
    assert.deepEqual(values('SELECT MIN(s._1), MAX(s._1) FROM S3Object s', [['pear'], ['apple'], ['fig']]), [
      'apple',
      'pear',
    ]);
  });

  it('SUM over text that is not numeric: ExternalEvalException', () => {
    assertS3Error(() => runQuery('SELECT SUM(s._4) FROM S3Object s', CSV, CSV_NONE), 'ExternalEvalException');
  });

  it('a CAST that fails inside an aggregate: CastFailed', () => {
    assertS3Error(
      () => runQuery('SELECT SUM(CAST(s._4 AS INT)) FROM S3Object s', [['1', '2', '3', 'x']], CSV_NONE),
      'CastFailed',
    );
  });
});

describe('aggregates over JSON values', () => {
  const JSON_OPTS = { format: 'JSON', csvHeader: 'NONE' } as const;
  const docs: SelectValue[] = [{ a: 1, t: '2010T' }, { a: 2.5 }, { a: null }, {}, { a: 4 }];

  it('skip NULL and MISSING', () => {
    assert.deepEqual(
      values(
        'SELECT COUNT(*), COUNT(s.a), SUM(s.a), AVG(s.a), MIN(s.a), MAX(s.a) FROM S3Object s',
        docs,
        JSON_OPTS,
      ),
      [5, 3, 7.5, 2.5, 1, 4],
    );
  });

  it('SUM of integers stays an integer; bigints stay exact', () => {
    assert.deepEqual(values('SELECT SUM(s.a) FROM S3Object s', [{ a: 2 }, { a: 3 }], JSON_OPTS), [5]);
    const big = [{ a: 9007199254740993n }, { a: 1n }];
    assert.deepEqual(values('SELECT SUM(s.a) FROM S3Object s', big, JSON_OPTS), [9007199254740994n]);
  });

  it('MIN and MAX of timestamps and strings', () => {
    const ts = [{ t: '2011T' }, { t: '2010-06T' }, { t: '2012T' }];
    const [min] = values('SELECT MIN(TO_TIMESTAMP(s.t)) FROM S3Object s', ts, JSON_OPTS);
    assert.equal((min as { epochMs: number }).epochMs, Date.UTC(2010, 5, 1));
    assert.deepEqual(
      values('SELECT MAX(s.n) FROM S3Object s', [{ n: 'b' }, { n: 'c' }, { n: 'a' }], JSON_OPTS),
      ['c'],
    );
  });

  it('SUM of a JSON string: ExternalEvalException', () => {
    assertS3Error(
      () => runQuery('SELECT SUM(s.a) FROM S3Object s', [{ a: '5' }], JSON_OPTS),
      'ExternalEvalException',
    );
  });

  it('MIN over values of different kinds: ExternalEvalException', () => {
    assertS3Error(
      () => runQuery('SELECT MIN(s.a) FROM S3Object s', [{ a: 1 }, { a: 'x' }], JSON_OPTS),
      'ExternalEvalException',
    );
  });
});

describe('aggregates when WHERE is never true', () => {
  it('are done before the first record and still give their row', () => {
    const q = compileQuery('SELECT COUNT(*), SUM(s._1) FROM S3Object s WHERE FALSE', CSV_NONE);
    assert.equal(q.done, true);
    assert.deepEqual(q.finish()!.values, [0, null]);
  });
});

describe('aggregates of one, two and more arguments', () => {
  const JSON_OPTS = { format: 'JSON', csvHeader: 'NONE' } as const;
  const records: SelectValue[] = [
    { a: 1, b: 10 },
    { a: 2.5, b: null },
    { a: -4, b: 7 },
  ];
  const cases: [string, SelectValue[]][] = [
    ['SELECT SUM(s.a) FROM S3Object s', [-0.5]],
    ['SELECT SUM(s.a), AVG(s.b) FROM S3Object s', [-0.5, 8.5]],
    ['SELECT SUM(s.a), AVG(s.a) FROM S3Object s', [-0.5, -0.5 / 3]],
    ['SELECT SUM(s.a), AVG(s.b), MAX(s.a), COUNT(s.b) FROM S3Object s', [-0.5, 8.5, 2.5, 2]],
    ['SELECT COUNT(*), MIN(s.b), SUM(s.b), MAX(s.b) FROM S3Object s', [3, 7, 17, 10]],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => assert.deepEqual(values(sql, records, JSON_OPTS), expected));
  }

  it('the first argument in the SELECT list that fails is the error', () => {
    for (const sql of [
      'SELECT SUM(s.a), SUM(s.b) FROM S3Object s',
      'SELECT SUM(s.a), SUM(s.b), SUM(s.c) FROM S3Object s',
    ]) {
      const q = compileQuery(sql, JSON_OPTS);
      assert.throws(
        () => q.process({ a: 'x', b: 'y', c: 'z' }),
        (e: Error) => e.message.includes("'x'"),
      );
    }
  });
});
