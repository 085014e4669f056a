/**
 * Speed of the Parquet reader against DuckDB (threads=1) on the same file, in
 * the same run: `node dist/services/select/parquet/parquet-bench.js [rows] [codec]`.
 * Generates a ZSTD Parquet file with several row groups (the shape of the
 * `npm run bench:select` data), then times the benchmark's three queries
 * with DuckDB and with the reader feeding the SQL engine (a) records, one per
 * row (CompiledQuery.process) and (b) column batches (processColumns).
 * A script, not a test: it prints figures and asserts only that the answers agree.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileQuery } from '../sql/index.js';
import type { ColumnBatch, InputRecord, OutputRow, ScanCounters } from '../types.js';
import { bufferAsRandomAccess, readParquet } from './index.js';
import { zstdDecoder } from './zstd.js';

interface Case {
  readonly name: string;
  readonly sql: string;
  readonly duck: (src: string) => string;
}

const CASES: Case[] = [
  {
    name: 'filter+count',
    sql: `SELECT COUNT(*) FROM S3Object s WHERE s.qty > 50 AND s.category = 'books'`,
    duck: (src) => `SELECT COUNT(*) FROM ${src} WHERE qty > 50 AND category = 'books'`,
  },
  {
    name: 'project 2 cols',
    sql: `SELECT s.id, s.city FROM S3Object s WHERE s.score > 99.5`,
    duck: (src) => `SELECT id, city FROM ${src} WHERE score > 99.5`,
  },
  {
    name: 'SUM/AVG',
    sql: `SELECT SUM(s.amount), AVG(s.qty) FROM S3Object s`,
    duck: (src) => `SELECT SUM(amount), AVG(qty) FROM ${src}`,
  },
];

/** Runs a query over the file through records (process) or batches (processColumns); its answer. */
async function runQuery(data: Buffer, sql: string, columnar: boolean): Promise<string> {
  const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
  const query = compileQuery(sql, { format: 'Parquet', csvHeader: 'NONE' });
  let rows = 0;
  let last: OutputRow | undefined;
  const emit = (row: OutputRow) => {
    rows++;
    last = row;
  };
  const sink = (r: InputRecord) => {
    const row = query.process(r);
    if (row) emit(row);
    return !query.done;
  };
  const batchSink = (b: ColumnBatch) => {
    query.processColumns!(b, emit);
    return !query.done;
  };
  await readParquet(bufferAsRandomAccess(data, counters), {
    query,
    sink,
    counters,
    ...(columnar ? { batchSink } : {}),
  });
  const total = query.finish();
  return total ? total.values.map(String).join(',') : `${rows} rows, last ${last?.values.join(',')}`;
}

/**
 * Best of `runs`, in CPU milliseconds of this process (DuckDB runs in-process
 * with one thread), which other load on the machine disturbs far less than
 * wall time; set PARQUET_BENCH_WALL=1 for wall time.
 */
async function time(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const wall = process.env['PARQUET_BENCH_WALL'] === '1';
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await fn();
    const cpu = process.cpuUsage(c);
    best = Math.min(best, wall ? performance.now() - t : (cpu.user + cpu.system) / 1000);
  }
  return best;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 3_000_000);
  const codec = process.argv[3] ?? 'zstd';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-bench-'));
  const file = path.join(dir, 'rows.parquet');
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  await conn.run(`COPY (SELECT i AS id, 1 + (hash(i * 7) % 100000)::BIGINT AS user_id,
      ['books','music','games','garden','tools','toys','food','health','sports','home','auto','baby'][1 + (hash(i * 11) % 12)::INT] AS category,
      'city' || lpad((hash(i * 13) % 50)::VARCHAR, 2, '0') AS city, ((hash(i * 17) % 100000) / 100)::DOUBLE AS amount,
      1 + (hash(i * 19) % 100)::BIGINT AS qty, ((hash(i * 23) % 100000) / 1000)::DOUBLE AS score,
      ['alpha','bravo','charlie','delta'][1 + (hash(i * 29) % 4)::INT] || ' ' || ['echo','golf','kilo','lima'][1 + (hash(i * 31) % 4)::INT] AS note
    FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 250000)`);
  const data = fs.readFileSync(file);
  const mb = data.length / 1e6;
  const unit = process.env['PARQUET_BENCH_WALL'] === '1' ? 'wall' : 'CPU';
  console.log(
    `${rows} rows, ${mb.toFixed(1)} MB Parquet (${codec}, 250k-row groups), ${unit} ms (best of 3)`,
  );
  console.log(`ZSTD decoder: ${zstdDecoder()}`);
  console.log('query            | DuckDB ms | engine, records ms (ratio) | engine, batches ms (ratio) | M rows/s, MB/s (batches)');
  for (const c of CASES) {
    let duckAnswer = '';
    const duckMs = await time(async () => {
      const r = await conn.runAndReadAll(c.duck(`read_parquet('${file}')`));
      const all = r.getRows();
      duckAnswer = all.length === 1 ? all[0]!.join(',') : `${all.length} rows`;
    });
    // Batches first: the records' garbage would otherwise still be collected during their runs.
    let byBatches = '';
    const batchesMs = await time(async () => void (byBatches = await runQuery(data, c.sql, true)));
    let byRecords = '';
    const recordsMs = await time(async () => void (byRecords = await runQuery(data, c.sql, false)));
    if (byRecords !== byBatches) throw new Error(`${c.name}: records say ${byRecords}, batches ${byBatches}`);
    const ratio = (ms: number) => (ms / duckMs).toFixed(1);
    console.log(
      `${c.name.padEnd(16)} | ${duckMs.toFixed(0).padStart(9)} | ${recordsMs.toFixed(0).padStart(8)} (${ratio(recordsMs)}×) | ` +
        `${batchesMs.toFixed(0).padStart(8)} (${ratio(batchesMs)}×) | ${(rows / batchesMs / 1e3).toFixed(1)}, ` +
        `${((mb / batchesMs) * 1e3).toFixed(0)}   [duck ${duckAnswer} / ours ${byBatches}]`,
    );
  }
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
