import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelect } from '../sql/parser.js';
import { splitAggregates } from './aggregate-split.js';

const split = (sql: string, csv = false) => splitAggregates(sql, parseSelect(sql), csv);

describe('splitAggregates: per-piece argument query and merge query, sliced from the SQL text', () => {
  const cases: Array<[sql: string, piece: string, merge: string]> = [
    [
      'SELECT SUM(s.a), AVG(s.b) FROM S3Object s WHERE s.c > 1',
      'SELECT s.a, s.b FROM S3Object s WHERE s.c > 1',
      'SELECT SUM(_p._a0), AVG(_p._a1) FROM S3Object _p',
    ],
    [
      'SELECT SUM(s.a * (1 + s.b)) / COUNT(*) AS r, MAX(ALL LOWER(s.n)) FROM S3Object[*] s',
      'SELECT s.a * (1 + s.b), LOWER(s.n) FROM S3Object[*] s',
      'SELECT SUM(_p._a0) / COUNT(*) AS r, MAX(ALL _p._a1) FROM S3Object _p',
    ],
    [
      'SELECT\n  MIN(s."x)"), -- min (\n  MAX(\')(\') FROM S3Object s',
      'SELECT s."x)", \')(\' FROM S3Object s',
      'SELECT\n  MIN(_p._a0), -- min (\n  MAX(_p._a1) FROM S3Object _p',
    ],
  ];
  for (const [sql, piece, merge] of cases) {
    it(sql, () => {
      const got = split(sql);
      assert.equal(got?.pieceSql, piece);
      assert.equal(got?.mergeSql, merge);
      assert.doesNotThrow(() => parseSelect(got!.pieceSql));
      assert.doesNotThrow(() => parseSelect(got!.mergeSql));
    });
  }

  it('CSV: splits CAST arguments and COUNT, not text read as numbers', () => {
    assert.equal(split('SELECT SUM(CAST(s.a AS FLOAT)), COUNT(s.b) FROM S3Object s', true)?.argCount, 2);
    assert.equal(split('SELECT SUM(s.a) FROM S3Object s', true), undefined);
    assert.equal(split('SELECT MIN(s.a || s.b) FROM S3Object s', true), undefined);
    assert.equal(split('SELECT SUM(s.a) FROM S3Object s', false)?.argCount, 1);
  });

  it('COUNT(*) alone has no argument to move', () => {
    assert.equal(split('SELECT COUNT(*) FROM S3Object')?.argCount, 0);
  });
});
