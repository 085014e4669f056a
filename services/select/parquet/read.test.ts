import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectTimestamp } from '../types.js';
import { openDuck, scan, standIn, type Duck } from './parquet-test-kit.js';

/** Every type the reader maps, with NULLs, dictionary-friendly and unique values. */
const TABLE = `SELECT i AS id,
  (i * 3)::INTEGER AS i32,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i * 100000000000 END AS i64,
  (9007199254740993 + i)::BIGINT AS huge,
  (4000000000 + i)::UINTEGER AS u32,
  i / 3.0 AS dbl,
  (i / 4)::REAL AS flt,
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'str' || (i % 13) END AS str,
  'ü€😀' || i AS uni,
  i % 2 = 0 AS flag,
  DATE '2020-01-01' + (i::INTEGER) AS d,
  TIMESTAMP '2021-03-04 05:06:07.123456' + to_microseconds(i * 1000001) AS ts,
  (i * 1.25)::DECIMAL(10, 2) AS dec,
  (i::DECIMAL(18, 0) * 100000000000)::DECIMAL(30, 3) AS bigdec,
  {'a': i, 'b': 'x' || i} AS st,
  CASE WHEN i % 4 = 0 THEN NULL ELSE [i, i + 1, NULL] END AS lst,
  MAP {'k': i} AS mp
FROM range(5000) t(i)`;

/** The same columns as DuckDB reads them back, in the reader's representation. */
const EXPECTED = (file: string) => `SELECT id, i32, i64, huge, u32, dbl, flt, str, uni, flag,
  epoch_ms(d) AS d, epoch_us(ts) AS ts, dec::DOUBLE AS dec, bigdec::DOUBLE AS bigdec,
  to_json(st)::VARCHAR AS st, to_json(lst)::VARCHAR AS lst, to_json(mp)::VARCHAR AS mp
FROM read_parquet('${file}')`;

const small = (v: unknown) => (typeof v === 'bigint' && v <= 2n ** 53n && v >= -(2n ** 53n) ? Number(v) : v);

function normalizeExpected(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = small(v);
  for (const k of ['st', 'lst', 'mp']) {
    if (k in out) out[k] = out[k] === null ? null : JSON.parse(out[k] as string);
  }
  return out;
}

function normalizeRead(r: Record<string, unknown>): Record<string, unknown> {
  const d = r.d as SelectTimestamp;
  const ts = r.ts as SelectTimestamp;
  assert.equal(d.precision, 'day');
  return { ...r, d: d.epochMs, ts: ts.epochMs * 1000 + ts.nanos / 1000 };
}

const CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4', 'lz4_raw'];

describe('Parquet reader: values match DuckDB', () => {
  let duck: Duck;
  before(async () => {
    duck = await openDuck();
  });
  after(() => duck.close());

  for (const version of ['V1', 'V2']) {
    for (const codec of CODECS) {
      it(`${codec}, PARQUET_VERSION ${version}, several row groups`, async () => {
        const { data, file } = await duck.write(
          TABLE,
          `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048, PARQUET_VERSION ${version}`,
        );
        const q = standIn({ all: true });
        const { rows, counters } = await scan(data, q);
        assert.equal(q.asked.length, 3, 'three row groups');
        const expected = (await duck.rows(EXPECTED(file))).map(normalizeExpected);
        assert.equal(rows.length, expected.length);
        for (let i = 0; i < rows.length; i++)
          assert.deepEqual(normalizeRead(rows[i]!), expected[i], `row ${i}`);
        assert.ok(counters.bytesScanned <= data.length, 'no byte is read twice');
        assert.ok(counters.bytesProcessed > 0);
      });
    }
  }

  it('assembles nested structs, lists of structs, maps and lists of lists with their NULLs', async () => {
    const { data, file } = await duck.write(
      `SELECT i AS id,
        CASE WHEN i % 3 = 0 THEN NULL ELSE {'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END} END AS st,
        [{'k': i, 'v': [i, NULL]}, NULL] AS los,
        CASE WHEN i % 2 = 0 THEN NULL ELSE MAP {'k': i, 'j': NULL} END AS mp,
        [[i], [], NULL] AS ll,
        {'inner': {'deep': i}} AS nest
      FROM range(3000) t(i)`,
      'COMPRESSION zstd, ROW_GROUP_SIZE 2048',
    );
    const { rows } = await scan(data, standIn({ all: true }));
    const expected = await duck.rows(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${file}') t`);
    assert.equal(rows.length, 3000);
    for (let i = 0; i < rows.length; i++) assert.equal(JSON.stringify(rows[i]), expected[i]!.j, `row ${i}`);
  });

  it('reads pages larger than one batch, with NULLs in plain and dictionary columns', async () => {
    const { data, file } = await duck.write(
      `SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 7 END AS n,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || (i % 9) END AS cat,
        CASE WHEN i % 11 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS h
      FROM range(30000) t(i)`,
      'COMPRESSION snappy, ROW_GROUP_SIZE 25000',
    );
    const { rows } = await scan(data, standIn({ all: true }));
    const expected = (await duck.rows(`SELECT * FROM read_parquet('${file}')`)).map(normalizeExpected);
    assert.equal(rows.length, 30000);
    for (let i = 0; i < rows.length; i++) assert.deepEqual(rows[i], expected[i], `row ${i}`);
  });

  it('keeps the schema order and exact column names', async () => {
    const { data } = await duck.write(
      `SELECT 1 AS "Zeta", 2 AS "alpha", 3 AS "__proto__"`,
      'COMPRESSION snappy',
    );
    const { rows } = await scan(data, standIn({ all: true }));
    assert.deepEqual(Object.keys(rows[0]!), ['Zeta', 'alpha', '__proto__']);
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    assert.equal(rows[0]!['__proto__'], 3);
  });

  it('reads timestamps in milliseconds, microseconds and nanoseconds', async () => {
    const { data } = await duck.write(
      `SELECT TIMESTAMP_MS '2001-02-03 04:05:06.789' AS ms, TIMESTAMP '1960-01-01 00:00:00.000001' AS us,
        TIMESTAMP_NS '2001-02-03 04:05:06.123456789' AS ns, DATE '1969-12-31' AS d`,
      'COMPRESSION zstd',
    );
    const { rows } = await scan(data, standIn({ all: true }));
    const pick = (v: unknown) => {
      const t = v as SelectTimestamp;
      return [t.epochMs, t.nanos, t.precision];
    };
    const r = rows[0]!;
    assert.deepEqual(pick(r.ms), [Date.UTC(2001, 1, 3, 4, 5, 6, 789), 0, 'fraction']);
    assert.deepEqual(pick(r.us), [Date.UTC(1960, 0, 1), 1000, 'fraction']);
    assert.deepEqual(pick(r.ns), [Date.UTC(2001, 1, 3, 4, 5, 6, 123), 456789, 'fraction']);
    assert.deepEqual(pick(r.d), [-86400000, 0, 'day']);
  });

  it('reads an empty file (no row groups) as no records', async () => {
    const { data } = await duck.write(`SELECT 1 AS a WHERE false`, 'COMPRESSION zstd');
    const { rows } = await scan(data, standIn({ all: true }));
    assert.deepEqual(rows, []);
  });
});
