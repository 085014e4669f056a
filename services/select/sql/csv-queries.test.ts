import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CsvRow, SelectValue } from '../types.js';
import { compileQuery } from './index.js';
import { assertS3Error, CSV_NONE, CSV_USE, runQuery, runRows } from './test-support.js';

const HEADER: CsvRow = ['id', 'Name', 'city', 'score', 'price'];
const ROWS: CsvRow[] = [
  ['1', 'alice', 'Paris', '80', '2.50'],
  ['2', 'bob', 'London', '81', '10'],
  ['3', 'carol', 'Paris', '9', ''],
  ['4', 'dave', 'Rome', 'n/a', '7.25'],
];

interface Case {
  sql: string;
  expected: Record<string, SelectValue>[];
  header?: boolean;
}

const CASES: Case[] = [
  {
    sql: 'SELECT s._1, s._2 FROM S3Object s LIMIT 2',
    expected: [
      { _1: '1', _2: 'alice' },
      { _1: '2', _2: 'bob' },
    ],
  },
  { sql: "SELECT _2 FROM S3Object WHERE _3 = 'Rome'", expected: [{ _2: 'dave' }] },
  { sql: "SELECT S3Object._2 FROM S3Object WHERE S3Object._1 = '2'", expected: [{ _2: 'bob' }] },
  { sql: "SELECT x._2 FROM S3Object AS x WHERE x._1 = '3'", expected: [{ _2: 'carol' }] },
  // A CSV field compared with a number reads as a number; text that is not numeric never matches.
  { sql: 'SELECT s._2 FROM S3Object s WHERE s._4 > 50', expected: [{ _2: 'alice' }, { _2: 'bob' }] },
  { sql: 'SELECT s._2 FROM S3Object s WHERE s._4 < 50', expected: [{ _2: 'carol' }] },
  { sql: 'SELECT s._2 FROM S3Object s WHERE s._4 = 80.0', expected: [{ _2: 'alice' }] },
  {
    sql: 'SELECT s._2 FROM S3Object s WHERE s._4 <> 80',
    expected: [{ _2: 'bob' }, { _2: 'carol' }, { _2: 'dave' }],
  },
  {
    sql: 'SELECT s._2 FROM S3Object s WHERE s._5 BETWEEN 2 AND 8',
    expected: [{ _2: 'alice' }, { _2: 'dave' }],
  },
  { sql: 'SELECT s._2 FROM S3Object s WHERE s._1 IN (1, 3)', expected: [{ _2: 'alice' }, { _2: 'carol' }] },
  // Compared with a string, a CSV field is a string: '9' > '50' as text.
  {
    sql: "SELECT s._2 FROM S3Object s WHERE s._4 > '50'",
    expected: [{ _2: 'alice' }, { _2: 'bob' }, { _2: 'carol' }, { _2: 'dave' }],
  },
  {
    sql: "SELECT s._2 FROM S3Object s WHERE s._1 IN ('1', '4')",
    expected: [{ _2: 'alice' }, { _2: 'dave' }],
  },
  {
    sql: "SELECT s._2 FROM S3Object s WHERE s._1 <> '4' AND CAST(s._4 AS INT) >= 81",
    expected: [{ _2: 'bob' }],
  },
  { sql: "SELECT s._2 FROM S3Object s WHERE s._2 LIKE '%o%'", expected: [{ _2: 'bob' }, { _2: 'carol' }] },
  { sql: "SELECT s._5 FROM S3Object s WHERE s._5 = ''", expected: [{ _5: '' }] },
  { sql: 'SELECT s._1 + s._4 AS total FROM S3Object s LIMIT 2', expected: [{ total: 81 }, { total: 83 }] },
  { sql: 'SELECT s._5 * 2 FROM S3Object s LIMIT 1', expected: [{ _1: 5 }] },
  { sql: 'SELECT s._9 FROM S3Object s LIMIT 1', expected: [{}] },
  { sql: 'SELECT s._9 IS MISSING FROM S3Object s LIMIT 1', expected: [{ _1: true }] },
  {
    sql: "SELECT UPPER(s._3) AS c, CHAR_LENGTH(s._2) FROM S3Object s WHERE s._3 = 'Rome'",
    expected: [{ c: 'ROME', _2: 4 }],
  },
  // Header names (FileHeaderInfo USE): case-insensitive unless quoted, and _N still works.
  {
    header: true,
    sql: 'SELECT name, s.CITY FROM S3Object s WHERE s.id = 2',
    expected: [{ name: 'bob', CITY: 'London' }],
  },
  { header: true, sql: 'SELECT s."Name" FROM S3Object s WHERE s._1 = \'1\'', expected: [{ Name: 'alice' }] },
  {
    header: true,
    sql: 'SELECT s.name AS who FROM S3Object s WHERE s.score > 80',
    expected: [{ who: 'bob' }],
  },
  {
    header: true,
    sql: "SELECT * FROM S3Object s WHERE s.city = 'Rome'",
    expected: [{ id: '4', Name: 'dave', city: 'Rome', score: 'n/a', price: '7.25' }],
  },
  {
    header: true,
    sql: 'SELECT s.* FROM S3Object s LIMIT 1',
    expected: [{ id: '1', Name: 'alice', city: 'Paris', score: '80', price: '2.50' }],
  },
  {
    sql: 'SELECT * FROM S3Object LIMIT 1',
    expected: [{ _1: '1', _2: 'alice', _3: 'Paris', _4: '80', _5: '2.50' }],
  },
  { sql: 'SELECT * FROM S3Object WHERE FALSE', expected: [] },
];

describe('CSV queries', () => {
  for (const c of CASES) {
    it(`${c.header ? '[USE] ' : ''}${c.sql}`, () => {
      const rows = c.header ? runRows(c.sql, ROWS, CSV_USE, HEADER) : runRows(c.sql, ROWS, CSV_NONE);
      assert.deepEqual(rows, c.expected);
    });
  }

  it('SELECT * keeps the row as it is (values are the record)', () => {
    const [row] = runQuery('SELECT * FROM S3Object', [ROWS[0]!], CSV_NONE);
    assert.deepEqual(row!.values, ROWS[0]);
    assert.deepEqual(row!.names, ['_1', '_2', '_3', '_4', '_5']);
  });

  it('rows of other lengths than the header get _N names past the header', () => {
    const [row] = runQuery('SELECT * FROM S3Object', [['a', 'b', 'c']], CSV_USE, ['x', 'y']);
    assert.deepEqual(row!.names, ['x', 'y', '_3']);
  });

  it('arithmetic on CSV text that is not numeric: ExternalEvalException', () => {
    assertS3Error(() => runQuery('SELECT s._4 + 1 FROM S3Object s', ROWS, CSV_NONE), 'ExternalEvalException');
  });

  it('CAST of text that is not numeric: CastFailed', () => {
    assertS3Error(() => runQuery('SELECT CAST(s._4 AS INT) FROM S3Object s', ROWS, CSV_NONE), 'CastFailed');
  });

  it('a header name with FileHeaderInfo IGNORE: EvaluatorBindingDoesNotExist', () => {
    assertS3Error(
      () => compileQuery('SELECT s.name FROM S3Object s', { format: 'CSV', csvHeader: 'IGNORE' }),
      'EvaluatorBindingDoesNotExist',
    );
  });
});

describe('CSV projection', () => {
  it('lists positional columns, 0-based', () => {
    const q = compileQuery("SELECT s._1, s._5 FROM S3Object s WHERE s._2 = 'x'", CSV_NONE);
    assert.equal(q.projection.allColumns, false);
    assert.deepEqual([...q.projection.positions].sort(), [0, 1, 4]);
    assert.equal(q.projection.names.size, 0);
  });

  it('lists header names as written, and their positions once the header is bound', () => {
    const q = compileQuery('SELECT s.NAME FROM S3Object s WHERE s.price > 1', CSV_USE);
    assert.deepEqual([...q.projection.names].sort(), ['NAME', 'price']);
    q.bindHeader(HEADER);
    assert.deepEqual([...q.projection.positions].sort(), [1, 4]);
  });

  it('SELECT * and aggregates over no column', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object', CSV_NONE).projection.allColumns, true);
    const count = compileQuery('SELECT COUNT(*) FROM S3Object', CSV_NONE).projection;
    assert.equal(count.allColumns, false);
    assert.equal(count.positions.size + count.names.size, 0);
  });
});

describe('LIMIT and done', () => {
  it('done turns true as the LIMITth row is produced, and process returns nothing after', () => {
    const q = compileQuery("SELECT s._1 FROM S3Object s WHERE s._3 = 'Paris' LIMIT 2", CSV_NONE);
    assert.equal(q.done, false);
    assert.ok(q.process(ROWS[0]!));
    assert.equal(q.done, false);
    assert.equal(q.process(ROWS[1]!), undefined);
    assert.equal(q.done, false);
    assert.ok(q.process(ROWS[2]!));
    assert.equal(q.done, true);
    assert.equal(q.process(ROWS[0]!), undefined);
    assert.equal(q.finish(), undefined);
  });

  it('LIMIT 0 is done before the first record', () => {
    const q = compileQuery('SELECT * FROM S3Object LIMIT 0', CSV_NONE);
    assert.equal(q.done, true);
    assert.equal(q.process(ROWS[0]!), undefined);
    const agg = compileQuery('SELECT COUNT(*) FROM S3Object LIMIT 0', CSV_NONE);
    assert.equal(agg.done, true);
    assert.equal(agg.finish(), undefined);
  });

  it('an aggregate reads everything and LIMIT applies to its one row', () => {
    const q = compileQuery('SELECT COUNT(*) FROM S3Object LIMIT 1', CSV_NONE);
    for (const r of ROWS) assert.equal(q.process(r), undefined);
    assert.equal(q.done, false);
    assert.deepEqual(q.finish()!.values, [4]);
    assert.equal(q.done, true);
  });

  it('a WHERE that is always false is done at once', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object WHERE 1 = 2', CSV_NONE).done, true);
  });
});
