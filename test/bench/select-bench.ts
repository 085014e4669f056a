/**
 * `npm run bench:select`: S3 Select in Strata against DuckDB (threads=1) on
 * the same data, measured in the same run.
 *
 * Generates a CSV (≥ BENCH_SELECT_MB, default 220 MB) of 8 mixed columns, the
 * same rows as JSON LINES, and as Parquet (ZSTD, several row groups, written
 * by DuckDB from the CSV); uploads the three to a Strata server started as a
 * child process; then times a filter-and-count, a selective projection of two
 * columns and a SUM/AVG through the S3 API (every event consumed) and with
 * DuckDB on the local files, checks both agree, and prints MB/s and the ratio.
 * Then (unless BENCH_SELECT_BIG=0) LIMIT 10 on a ≥ 1 GB object and the
 * server's peak RSS during a scan of a ≥ 2 GB object.
 *
 * Env: BENCH_SELECT_MB, BENCH_SELECT_RUNS (best of, default 2), BENCH_SELECT_BIG.
 * Temp files and the server are removed on exit, error or Ctrl+C.
 */
import { CreateBucketCommand, S3Client, type InputSerialization } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnStrata, type StrataProcess } from '../helpers/strata-process.js';
import { describeLimit, describeMemory, limitOnLargeObject, memoryOnLargeScan } from './select-big.js';
import { writeCsvAndJson } from './select-data.js';
import { BENCH_QUERIES, duckdbSource, type BenchFormat } from './select-queries.js';
import { bestOf, timeDuckdb, timeStrata, type Timed } from './select-timing.js';

const MB = 1e6;
const ACCESS_KEY = 'BENCHACCESSKEY';
const SECRET_KEY = 'bench-secret-key';
const BUCKET = 'select-bench';
const minMB = Number(process.env['BENCH_SELECT_MB'] ?? 220);
const runs = Number(process.env['BENCH_SELECT_RUNS'] ?? 2);
const big = process.env['BENCH_SELECT_BIG'] !== '0';

interface Dataset {
  readonly format: BenchFormat;
  readonly file: string;
  readonly key: string;
  readonly size: number;
  readonly input: InputSerialization;
}

async function prepareData(tmp: string, conn: DuckDBConnection): Promise<Dataset[]> {
  const csv = path.join(tmp, 'rows.csv');
  const json = path.join(tmp, 'rows.jsonl');
  const parquet = path.join(tmp, 'rows.parquet');
  let t = performance.now();
  const rows = await writeCsvAndJson(csv, json, minMB * MB);
  console.log(
    `generated ${rows} rows as CSV and JSON LINES in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  await conn.run(
    `COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' ` +
      `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 250000)`,
  );
  console.log(
    `wrote Parquet (ZSTD, 250k-row groups) with DuckDB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const entry = (format: BenchFormat, file: string, input: InputSerialization): Dataset => ({
    format,
    file,
    key: path.basename(file),
    size: fs.statSync(file).size,
    input,
  });
  return [
    entry('CSV', csv, { CSV: { FileHeaderInfo: 'USE' } }),
    entry('JSON', json, { JSON: { Type: 'LINES' } }),
    entry('Parquet', parquet, { Parquet: {} }),
  ];
}

async function upload(s3: S3Client, d: Dataset): Promise<void> {
  const t = performance.now();
  await new Upload({
    client: s3,
    params: { Bucket: BUCKET, Key: d.key, Body: fs.createReadStream(d.file) },
    partSize: 64 * 1024 * 1024,
    queueSize: 2,
  }).done();
  const s = (performance.now() - t) / 1000;
  console.log(`uploaded ${d.key} (${(d.size / MB).toFixed(0)} MB) in ${s.toFixed(1)} s`);
}

/** Whether Strata's CSV output and DuckDB's rows say the same thing. */
function agree(queryName: string, strata: Timed & { rowCount: number }, duck: Timed): boolean {
  if (queryName === 'project 2 cols') return strata.rowCount === duck.rows.length;
  const a = strata.rows[0] ?? [];
  const b = duck.rows[0] ?? [];
  return (
    a.length === b.length &&
    a.every((v, i) => Math.abs(Number(v) - Number(b[i])) <= 1e-6 * Math.max(1, Math.abs(Number(b[i]))))
  );
}

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

async function main(tmp: string, state: { strata?: StrataProcess }): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}; data in ${tmp}`,
  );
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run('SET threads = 1');
  const datasets = await prepareData(tmp, conn);

  const strata = await spawnStrata({
    dataDir: path.join(tmp, 'strata'),
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
  });
  state.strata = strata;
  const s3 = new S3Client({
    endpoint: strata.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const d of datasets) await upload(s3, d);

  console.log(`\nbest of ${runs} runs each; MB/s = object size / time\n`);
  const header = `${pad('format', 8)} ${pad('query', 15)} ${lpad('Strata s', 9)} ${lpad('MB/s', 7)} ${lpad('DuckDB s', 9)} ${lpad('MB/s', 7)} ${lpad('ratio', 6)}  same result`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const d of datasets) {
    for (const q of BENCH_QUERIES) {
      const sql = q.strata(d.format);
      const s = await bestOf(runs, () => timeStrata({ s3, bucket: BUCKET, key: d.key, sql, input: d.input }));
      const k = await bestOf(runs, () => timeDuckdb(conn, q.duckdb(duckdbSource(d.format, d.file))));
      console.log(
        `${pad(d.format, 8)} ${pad(q.name, 15)} ${lpad(s.seconds.toFixed(2), 9)} ${lpad((d.size / MB / s.seconds).toFixed(0), 7)} ` +
          `${lpad(k.seconds.toFixed(2), 9)} ${lpad((d.size / MB / k.seconds).toFixed(0), 7)} ` +
          `${lpad((s.seconds / k.seconds).toFixed(2), 6)}  ${agree(q.name, s, k) ? 'yes' : `NO (${JSON.stringify(s.rows[0])} vs ${JSON.stringify(k.rows[0])}, ${s.rowCount} vs ${k.rows.length} rows)`}`,
      );
    }
  }
  conn.closeSync();
  db.closeSync();
  for (const d of datasets) fs.rmSync(d.file, { force: true });

  if (!big) {
    console.log('\nBENCH_SELECT_BIG=0: skipping the 1 GB LIMIT and 2 GB memory checks');
  } else {
    console.log('');
    console.log(describeLimit(await limitOnLargeObject(s3, BUCKET, 1024 * 1024 * 1024)));
    console.log(describeMemory(await memoryOnLargeScan(s3, BUCKET, strata.pid, 2 * 1024 * 1024 * 1024)));
  }
  s3.destroy();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-select-bench-'));
const state: { strata?: StrataProcess } = {};
let cleaned = false;
const cleanup = async () => {
  if (cleaned) return;
  cleaned = true;
  if (state.strata) {
    const strata = state.strata;
    const timer = setTimeout(() => void strata.kill('SIGKILL'), 5000);
    await strata.kill('SIGTERM').catch(() => undefined);
    clearTimeout(timer);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  await main(tmp, state);
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  if (state.strata) console.error(`strata output:\n${state.strata.output()}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
