import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import type { FuzzInput, FuzzReport } from './fuzz-worker.js';
import { openDuck, type Duck } from './parquet-test-kit.js';

const SEED = 0x5eed2024;
const CASES = 400;
/** A read of a mutant of these small files takes milliseconds; anything near this is a hang. */
const CASE_DEADLINE_MS = 10_000;
const RSS_LIMIT_MB = 300;

const TABLE = `SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || (i % 7) END AS s, i * 0.25 AS x,
  DATE '2020-01-01' + (i::INTEGER) AS d, [i, i + 1] AS l, {'a': i, 'b': 'q' || i} AS st,
  MAP {'k': i} AS mp, (i * 1.5)::DECIMAL(20, 2) AS dec
FROM range(3000) t(i)`;

describe('Parquet reader: mutation fuzz', () => {
  let duck: Duck;
  const files: Uint8Array[] = [];
  before(async () => {
    duck = await openDuck();
    for (const options of [
      'COMPRESSION snappy, ROW_GROUP_SIZE 1024',
      'COMPRESSION zstd, ROW_GROUP_SIZE 2048, PARQUET_VERSION V2',
      'COMPRESSION gzip',
      'COMPRESSION uncompressed, ROW_GROUP_SIZE 1024',
      'COMPRESSION brotli',
      'COMPRESSION lz4_raw, PARQUET_VERSION V2',
    ]) {
      files.push((await duck.write(TABLE, options)).data);
    }
  });
  after(() => duck.close());

  it(`${CASES} mutants each end with rows or an S3 error, without hanging or growing memory`, async () => {
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), {
      workerData: { files, seed: SEED, cases: CASES } satisfies FuzzInput,
    });
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    let current = 'before the first case';
    let peakRss = rssBefore;
    const finished = await new Promise<FuzzReport & { kind: 'finished' }>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          void worker.terminate();
          reject(new Error(`seed ${SEED}: no answer within ${CASE_DEADLINE_MS} ms in case ${current}`));
        }, CASE_DEADLINE_MS);
      };
      arm();
      worker.on('message', (m: FuzzReport) => {
        arm();
        peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20);
        if (m.kind === 'start') current = `${m.index} (${m.mutation})`;
        else if (m.kind === 'rows') outcomes.set('rows', (outcomes.get('rows') ?? 0) + 1);
        else if (m.kind === 's3error') outcomes.set(m.code, (outcomes.get(m.code) ?? 0) + 1);
        else if (m.kind === 'other') failures.push(`case ${current}: ${m.error}`);
        else {
          clearTimeout(timer);
          resolve(m);
        }
      });
      worker.on('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`worker died in case ${current}: ${String(e)}`));
      });
    });
    await worker.terminate();
    assert.deepEqual(failures, [], 'every failure is an S3Error');
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    assert.equal(total, CASES);
    assert.ok(
      (outcomes.get('ParquetParsingError') ?? 0) > CASES / 10,
      `outcomes: ${JSON.stringify([...outcomes])}`,
    );
    assert.ok(
      Math.max(peakRss, finished.rssMb) - rssBefore < RSS_LIMIT_MB,
      `RSS grew from ${rssBefore.toFixed(0)} MB to ${Math.max(peakRss, finished.rssMb).toFixed(0)} MB`,
    );
  });
});
