import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnStats } from '../types.js';
import { compileQuery } from './index.js';

const PARQUET = { format: 'Parquet', csvHeader: 'NONE' } as const;

/** A row group whose column a holds 10…20, b holds 'g'…'m', t holds two instants, n only NULLs. */
const GROUP = new Map<string, ColumnStats>([
  ['a', { min: 10, max: 20, nullCount: 0 }],
  ['big', { min: 100n, max: 200n }],
  ['b', { min: 'g', max: 'm' }],
  ['Price', { min: 1.5, max: 9.75 }],
  [
    't',
    {
      min: { kind: 'timestamp', epochMs: Date.UTC(2020, 0, 1), nanos: 0, offsetMinutes: 0, precision: 'day' },
      max: {
        kind: 'timestamp',
        epochMs: Date.UTC(2020, 11, 31),
        nanos: 0,
        offsetMinutes: 0,
        precision: 'day',
      },
    },
  ],
  ['n', { nullCount: 100 }],
]);

const CASES: [where: string, mayMatch: boolean][] = [
  ['s.a = 15', true],
  ['s.a = 10', true],
  ['s.a = 9', false],
  ['s.a = 21', false],
  ['s.a < 10', false],
  ['s.a < 11', true],
  ['s.a <= 10', true],
  ['s.a > 20', false],
  ['s.a >= 20', true],
  ['s.a >= 21', false],
  ['5 > s.a', false],
  ['25 < s.a', false],
  ['s.a <> 15', true],
  ['s.a BETWEEN 0 AND 9', false],
  ['s.a BETWEEN 0 AND 10', true],
  ['s.a BETWEEN 21 AND 30', false],
  ['s.a IN (1, 2, 30)', false],
  ['s.a IN (1, 15)', true],
  ["s.a > 30 AND s.b = 'h'", false],
  ["s.a > 30 OR s.b = 'h'", true],
  ["s.a > 30 OR s.b = 'z'", false],
  ["s.b > 'm'", false],
  ["s.b >= 'm'", true],
  ["s.b = 'a'", false],
  ['s.price > 10', false],
  ['s."Price" > 9.5', true],
  ['s."price" > 10', true],
  ['CAST(s.a AS INT) > 20', false],
  ['CAST(s.price AS INT) > 9', false],
  ['CAST(s.price AS FLOAT) > 9.5', true],
  ['s.big > 200', false],
  ['s.big = 150', true],
  ['s.t < `2019T`', false],
  ['s.t > `2020-06T`', true],
  // Anything the statistics cannot decide may match.
  ['s.a + 1 > 100', true],
  ['NOT s.a = 15', true],
  ['s.a NOT BETWEEN 10 AND 20', true],
  ["s.a = '15'", true],
  ['s.other > 5', true],
  ['s.n > 5', true],
  ["s.b LIKE 'z%'", true],
  ['s.a > s.big', true],
];

describe('mayMatch: row-group pruning from min/max statistics', () => {
  for (const [where, expected] of CASES) {
    it(`${where} → ${expected}`, () => {
      const q = compileQuery(`SELECT * FROM S3Object s WHERE ${where}`, PARQUET);
      assert.equal(q.mayMatch(GROUP), expected);
    });
  }

  it('no WHERE, or no statistics: may match', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object', PARQUET).mayMatch(GROUP), true);
    assert.equal(compileQuery('SELECT * FROM S3Object s WHERE s.a > 100', PARQUET).mayMatch(new Map()), true);
  });

  it('a WHERE that is always false matches no group', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object WHERE 1 = 2', PARQUET).mayMatch(GROUP), false);
  });

  it('names without an alias, and S3Object as the alias', () => {
    assert.equal(compileQuery('SELECT * FROM S3Object WHERE a > 100', PARQUET).mayMatch(GROUP), false);
    assert.equal(
      compileQuery('SELECT * FROM S3Object WHERE S3Object.a > 100', PARQUET).mayMatch(GROUP),
      false,
    );
  });
});
