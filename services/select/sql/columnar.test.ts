/**
 * The columnar path (processColumns) against the row path (process on each
 * row's record): every query shape, over the same rows cut into batches of
 * several sizes, must give the same output rows, aggregate results and
 * errors (data: columnar-test-kit.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OutputRow } from '../types.js';
import { assertSame, batches, PARQUET, ROWS, table } from './columnar-test-kit.js';
import { compileQuery } from './index.js';

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
  "s.price < 30 AND s.cat = 'b'",
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
});
