/**
 * Speed of the Parquet reader against DuckDB (threads=1) on the same file, in
 * the same run: `node dist/services/select/parquet/parquet-bench.js [rows] [codec]`.
 * Generates a ZSTD Parquet file with several row groups (the shape of the
 * `npm run bench:select` data), then times the benchmark's three queries
 * with DuckDB and with the reader feeding the SQL engine (a) records, one per
 * row (CompiledQuery.process) and (b) column batches (processColumns).
 * A script, not a test: it prints figures (CPU and wall time, best of
 * PARQUET_BENCH_RUNS, DuckDB and our reader in turn) and checks only that the
 * two paths agree.
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

const RUNS = Number(process.env['PARQUET_BENCH_RUNS'] ?? 5);

interface Timing {
  /** CPU milliseconds of this process (DuckDB runs in it, with one thread). */
  cpu: number;
  wall: number;
}

async function once(fn: () => Promise<unknown>): Promise<Timing> {
  const t = performance.now();
  const c = process.cpuUsage();
  await fn();
  const cpu = process.cpuUsage(c);
  return { cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - t };
}

/**
 * Best of RUNS (PARQUET_BENCH_RUNS) of each function, run in turn so that
 * every one sees the same load on a shared machine; CPU and wall time.
 */
async function interleaved(fns: readonly (() => Promise<unknown>)[], runs = RUNS): Promise<Timing[]> {
  const best = fns.map(() => ({ cpu: Infinity, wall: Infinity }));
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const t = await once(fns[f]!);
      best[f]!.cpu = Math.min(best[f]!.cpu, t.cpu);
      best[f]!.wall = Math.min(best[f]!.wall, t.wall);
    }
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
  console.log(`${rows} rows, ${mb.toFixed(1)} MB Parquet (${codec}, 250k-row groups), best of ${RUNS}`);
  console.log(`ZSTD decoder: ${zstdDecoder()}`);
  console.log(
    'query            | DuckDB ms cpu / wall | batches ms cpu / wall (ratio cpu / wall) | records ms cpu (ratio)',
  );
  for (const c of CASES) {
    let duckAnswer = '';
    let byBatches = '';
    let byRecords = '';
    const [duck, batches] = await interleaved([
      async () => {
        const all = (await conn.runAndReadAll(c.duck(`read_parquet('${file}')`))).getRows();
        duckAnswer = all.length === 1 ? all[0]!.join(',') : `${all.length} rows`;
      },
      async () => void (byBatches = await runQuery(data, c.sql, true)),
    ]);
    // The record path is 5-15× slower: two runs.
    const [records] = await interleaved(
      [async () => void (byRecords = await runQuery(data, c.sql, false))],
      2,
    );
    if (byRecords !== byBatches) throw new Error(`${c.name}: records say ${byRecords}, batches ${byBatches}`);
    const ms = (t: Timing) => `${t.cpu.toFixed(0).padStart(5)} / ${t.wall.toFixed(0).padStart(4)}`;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    console.log(
      `${c.name.padEnd(16)} | ${ms(duck!).padStart(20)} | ${ms(batches!)} (${ratio(batches!.cpu, duck!.cpu)} / ` +
        `${ratio(batches!.wall, duck!.wall)}) | ${records!.cpu.toFixed(0).padStart(5)} (${ratio(records!.cpu, duck!.cpu)})` +
        `   [duck ${duckAnswer} / ours ${byBatches}]`,
    );
  }
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
