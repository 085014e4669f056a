/**
 * The Parquet reader's two ways of handing rows to the SQL engine — records
 * to process() and batches to processColumns() — give the same answers, over
 * files DuckDB writes with every kind of column (NULLs, dictionaries, BIGINTs
 * beyond 2^53, nested values, timestamps, decimals) and both page versions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import { compileQuery } from '../sql/index.js';
import type { CompileOptions, OutputRow, ScanCounters } from '../types.js';
import { bufferAsRandomAccess, readParquet } from './index.js';
import { openDuck, type Duck } from './parquet-test-kit.js';

const PARQUET: CompileOptions = { format: 'Parquet', csvHeader: 'NONE' };

const TABLE = `SELECT i AS id,
  1 + (i * 7) % 100 AS qty,
  ['books', 'music', 'games', 'toys'][1 + i % 4] AS category,
  CASE WHEN i % 7 = 0 THEN NULL ELSE 'city' || (i % 13) END AS city,
  (i % 1000) / 10.0 AS score,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.25 END AS amount,
  CASE WHEN i % 3 = 0 THEN NULL ELSE (i % 11) END AS maybe,
  (9007199254740990 + i % 10)::BIGINT AS huge,
  (i * 1.25)::DECIMAL(10, 2) AS price,
  TIMESTAMP '2021-03-04 05:06:07' + to_seconds(i) AS ts,
  {'a': i, 'b': 'x' || (i % 3)} AS st,
  CASE WHEN i % 4 = 0 THEN NULL ELSE [i, NULL] END AS lst,
  i % 2 = 0 AS flag
FROM range(6000) t(i)`;

const QUERIES = [
  `SELECT COUNT(*) FROM S3Object s WHERE s.qty > 50 AND s.category = 'books'`,
  `SELECT s.id, s.city FROM S3Object s WHERE s.score > 99.5`,
  `SELECT SUM(s.amount), AVG(s.qty) FROM S3Object s`,
  `SELECT SUM(s.huge), MIN(s.huge), MAX(s.price), SUM(s.price) FROM S3Object s WHERE s.flag`,
  `SELECT COUNT(s.city), COUNT(s.maybe), SUM(s.maybe), MIN(s.city), MAX(s.ts) FROM S3Object s`,
  `SELECT * FROM S3Object s WHERE s.city IS NULL AND s.qty BETWEEN 10 AND 40`,
  `SELECT s.* FROM S3Object s WHERE s.category IN ('toys', 'games') AND s.maybe > 5`,
  `SELECT s.st.b, s.lst[0], UPPER(s.city) FROM S3Object s WHERE s.st.a > 5990 OR s.qty = 1`,
  `SELECT s.id FROM S3Object s WHERE s.city LIKE 'city1%' AND s.amount IS NOT NULL LIMIT 25`,
  `SELECT s.ts, s.price FROM S3Object s WHERE s.ts > TO_TIMESTAMP('2021-03-04T06:00:00Z') LIMIT 10`,
  `SELECT * FROM S3Object s LIMIT 3`,
  `SELECT CAST(s.city AS INT) FROM S3Object s WHERE s.qty > 90`,
  `SELECT s.nope, s.id FROM S3Object s WHERE s.nope IS MISSING AND s.id < 3`,
];

interface Outcome {
  readonly rows: { names: string[]; values: unknown[] }[];
  readonly error?: string;
  readonly counters: ScanCounters;
}

async function run(data: Uint8Array, sql: string, columnar: boolean): Promise<Outcome & { batches: number }> {
  const query = compileQuery(sql, PARQUET);
  let batches = 0;
  const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
  const rows: OutputRow[] = [];
  const emit = (row: OutputRow) => void rows.push(row);
  const plain = () => rows.map((r) => ({ names: [...r.names], values: [...r.values] }));
  try {
    await readParquet(bufferAsRandomAccess(data, counters), {
      query,
      counters,
      sink: (record) => {
        const row = query.process(record);
        if (row !== undefined) emit(row);
        return !query.done;
      },
      ...(columnar
        ? {
            batchSink: (batch) => {
              batches++;
              query.processColumns!(batch, emit);
              return !query.done;
            },
          }
        : {}),
    });
    const last = query.finish();
    if (last !== undefined) emit(last);
    return { rows: plain(), counters, batches };
  } catch (e) {
    assert.ok(isS3Error(e), String(e));
    return { rows: plain(), error: `${e.code}: ${e.message}`, counters, batches };
  }
}

describe('Parquet: records and batches give the same answers', () => {
  let duck: Duck;
  const files: { name: string; data: Uint8Array }[] = [];
  before(async () => {
    duck = await openDuck();
    for (const options of [
      'COMPRESSION zstd, ROW_GROUP_SIZE 2048',
      'COMPRESSION snappy, ROW_GROUP_SIZE 5000, PARQUET_VERSION V2',
    ]) {
      files.push({ name: options, data: (await duck.write(TABLE, options)).data });
    }
  });
  after(() => duck.close());

  for (const sql of QUERIES) {
    it(sql, async () => {
      for (const f of files) {
        const byRecords = await run(f.data, sql, false);
        const byBatches = await run(f.data, sql, true);
        assert.deepEqual(byBatches.rows, byRecords.rows, f.name);
        assert.equal(byBatches.error, byRecords.error, f.name);
        assert.ok(byRecords.rows.length > 0 || byRecords.error, 'the query has an answer');
      }
    });
  }

  it('LIMIT stops reading after the first small batch', async () => {
    const { data } = await duck.write(
      `SELECT i AS id, md5(i::VARCHAR) AS h FROM range(100000) t(i)`,
      'COMPRESSION zstd, ROW_GROUP_SIZE 10000',
    );
    const whole = await run(data, 'SELECT s.h FROM S3Object s WHERE s.id >= 0', true);
    const limited = await run(data, 'SELECT s.h FROM S3Object s LIMIT 10', true);
    assert.equal(limited.rows.length, 10);
    assert.equal(limited.batches, 1);
    assert.deepEqual(limited.rows, whole.rows.slice(0, 10));
    assert.ok(
      limited.counters.bytesScanned * 5 < whole.counters.bytesScanned,
      `${limited.counters.bytesScanned} bytes scanned for LIMIT 10 vs ${whole.counters.bytesScanned}`,
    );
  });
});
