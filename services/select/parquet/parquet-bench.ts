/**
 * Speed of the Parquet reader against DuckDB (threads=1) on the same file, in
 * the same run: `node dist/services/select/parquet/parquet-bench.js [rows] [codec]`.
 * Generates a ZSTD Parquet file with several row groups (the shape of the
 * `npm run bench:select` data), then times the benchmark's three queries
 * with the reader feeding (a) a hand-written stand-in for the compiled query
 * (the reader's own cost) and (b) the real SQL engine, and with DuckDB.
 * A script, not a test: it prints figures and asserts only that the answers agree.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileQuery } from '../sql/index.js';
import type { CompiledQuery, InputRecord, ScanCounters } from '../types.js';
import { bufferAsRandomAccess, readParquet } from './index.js';

type Row = Record<string, number | string>;

interface Case {
  readonly name: string;
  readonly sql: string;
  readonly duck: (src: string) => string;
  readonly names: string[];
  /** The stand-in: per-record work and the answer. */
  readonly make: () => { onRow: (r: Row) => void; answer: () => string };
}

const CASES: Case[] = [
  {
    name: 'filter+count',
    sql: `SELECT COUNT(*) FROM S3Object s WHERE s.qty > 50 AND s.category = 'books'`,
    duck: (src) => `SELECT COUNT(*) FROM ${src} WHERE qty > 50 AND category = 'books'`,
    names: ['qty', 'category'],
    make: () => {
      let n = 0;
      return {
        onRow: (r) => void ((r.qty as number) > 50 && r.category === 'books' && n++),
        answer: () => String(n),
      };
    },
  },
  {
    name: 'project 2 cols',
    sql: `SELECT s.id, s.city FROM S3Object s WHERE s.score > 99.5`,
    duck: (src) => `SELECT id, city FROM ${src} WHERE score > 99.5`,
    names: ['id', 'city', 'score'],
    make: () => {
      const out: string[] = [];
      return {
        onRow: (r) => void ((r.score as number) > 99.5 && out.push(`${r.id},${r.city}`)),
        answer: () => String(out.length),
      };
    },
  },
  {
    name: 'SUM/AVG',
    sql: `SELECT SUM(s.amount), AVG(s.qty) FROM S3Object s`,
    duck: (src) => `SELECT SUM(amount), AVG(qty) FROM ${src}`,
    names: ['amount', 'qty'],
    make: () => {
      let sum = 0;
      let q = 0;
      let n = 0;
      return {
        onRow: (r) => {
          sum += r.amount as number;
          q += r.qty as number;
          n++;
        },
        answer: () => `${sum.toFixed(2)},${(q / n).toFixed(4)}`,
      };
    },
  },
];

function standIn(names: string[]): CompiledQuery {
  return {
    projection: { allColumns: false, names: new Set(names), positions: new Set() },
    isAggregate: false,
    bindHeader: () => undefined,
    process: () => undefined,
    finish: () => undefined,
    done: false,
    mayMatch: () => true,
  };
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
  console.log(
    'query            | DuckDB ms | reader+stand-in ms (ratio) | reader+SQL engine ms (ratio) | rows/s, MB/s (engine)',
  );
  for (const c of CASES) {
    let duckAnswer = '';
    const duckMs = await time(async () => {
      const r = await conn.runAndReadAll(c.duck(`read_parquet('${file}')`));
      duckAnswer = String(r.getRows().length === 1 ? r.getRows()[0] : r.getRows().length);
    });
    let answer = '';
    const standMs = await time(async () => {
      const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
      const s = c.make();
      const sink = (r: InputRecord) => {
        s.onRow(r as Row);
        return true;
      };
      await readParquet(bufferAsRandomAccess(data, counters), { query: standIn(c.names), sink, counters });
      answer = s.answer();
    });
    let engineRows = 0;
    const engineMs = await time(async () => {
      const counters: ScanCounters = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
      const query = compileQuery(c.sql, { format: 'Parquet', csvHeader: 'NONE' });
      let out = 0;
      const sink = (r: InputRecord) => {
        if (query.process(r)) out++;
        return !query.done;
      };
      await readParquet(bufferAsRandomAccess(data, counters), { query, sink, counters });
      if (query.isAggregate) query.finish();
      engineRows = out;
    });
    void engineRows;
    const ratio = (ms: number) => (ms / duckMs).toFixed(1);
    console.log(
      `${c.name.padEnd(16)} | ${duckMs.toFixed(0).padStart(9)} | ${standMs.toFixed(0).padStart(8)} (${ratio(standMs)}×) | ` +
        `${engineMs.toFixed(0).padStart(8)} (${ratio(engineMs)}×) | ${(((rows / engineMs) * 1e3) / 1e6).toFixed(1)} M rows/s, ` +
        `${((mb / engineMs) * 1e3).toFixed(0)} MB/s   [duck ${duckAnswer} / ours ${answer}]`,
    );
  }
  conn.closeSync();
  db.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
