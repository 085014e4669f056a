/**
 * S3 Select on Parquet objects written by DuckDB (in the test): every codec
 * DuckDB writes, several row groups, dictionary-encoded strings, NULLs;
 * column projection and row-group skipping visible in Stats' BytesScanned;
 * truncated and mutated files answered with error events while the server
 * keeps serving.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { jsonLines, putText, select, selectText } from './select-kit.js';

const ROWS = 20_000;
const ROW_GROUP = 2_000;
// A larger file for the Stats figures, so the footer read is a small part of it.
const BIG_ROWS = 100_000;
const BIG_ROW_GROUP = 10_000;
const CODECS = ['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'uncompressed'] as const;
const CITIES = ['Oslo', 'Rome', 'Paris', 'Lima'];
// The same rows, computed here: id, name, price, grp, even, city, maybe (NULL every 5th).
const tableSql = (rows: number) => `
  SELECT i::BIGINT AS id, 'name-' || i AS name, (i * 1.5)::DOUBLE AS price, (i % 7)::INTEGER AS grp,
         (i % 2 = 0) AS even, (['${CITIES.join("','")}'])[i % 4 + 1] AS city,
         CASE WHEN i % 5 = 0 THEN NULL ELSE i END::BIGINT AS maybe
  FROM range(0, ${rows}) t(i)`;
const PARQUET_ERRORS = [
  'ParquetParsingError',
  'UnsupportedParquetType',
  'ParquetUnsupportedCompressionCodec',
];

async function writeParquet(dir: string): Promise<Map<string, Buffer>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const files = new Map<string, Buffer>();
  try {
    for (const codec of CODECS) {
      const file = path.join(dir, `rows-${codec}.parquet`);
      await conn.run(
        `COPY (${tableSql(ROWS)}) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${ROW_GROUP})`,
      );
      files.set(codec, fs.readFileSync(file));
    }
    const big = path.join(dir, 'big.parquet');
    await conn.run(
      `COPY (${tableSql(BIG_ROWS)}) TO '${big}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${BIG_ROW_GROUP})`,
    );
    files.set('big', fs.readFileSync(big));
  } finally {
    conn.closeSync();
  }
  return files;
}

/** A small deterministic PRNG, so a failing mutation can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

describe('S3 Select: Parquet input', () => {
  let strata: TestStrata;
  let files: Map<string, Buffer>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'select-parquet-'));
  const bucket = bucketName('select-pq');
  const parquet = { Parquet: {} };
  const run = (sql: string, key = 'rows-zstd.parquet', json = false) =>
    select(strata.s3, {
      Bucket: bucket,
      Key: key,
      Expression: sql,
      InputSerialization: parquet,
      ...(json ? { OutputSerialization: { JSON: {} } } : {}),
    });

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    files = await writeParquet(tmp);
    for (const [name, body] of files) await putText(strata.s3, bucket, `rows-${name}.parquet`, body);
  });

  after(async () => {
    try {
      await emptyAndDeleteBucket(strata.s3, bucket);
      await strata.close();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const codec of CODECS) {
    it(`${codec}: count, a filtered row and an aggregate`, async () => {
      const key = `rows-${codec}.parquet`;
      assert.equal((await run('SELECT COUNT(*) FROM S3Object', key)).records, `${ROWS}\n`);
      const row = await run(`SELECT s.name, s.city, s.even FROM S3Object s WHERE s.id = 12345`, key);
      assert.equal(row.records, `name-12345,${CITIES[12345 % 4]},false\n`);
      const sum = await run('SELECT SUM(s.grp) FROM S3Object s', key);
      let want = 0;
      for (let i = 0; i < ROWS; i++) want += i % 7;
      assert.equal(sum.records, `${want}\n`);
    });
  }

  it('SUM and AVG of a DOUBLE column match the values computed here', async () => {
    const text = await selectText(strata.s3, {
      Bucket: bucket,
      Key: 'rows-zstd.parquet',
      Expression: 'SELECT SUM(s.price) AS total, AVG(s.price) AS mean FROM S3Object s WHERE s.grp = 3',
      InputSerialization: parquet,
      OutputSerialization: { JSON: {} },
    });
    let total = 0;
    let n = 0;
    for (let i = 0; i < ROWS; i++) {
      if (i % 7 === 3) {
        total += i * 1.5;
        n++;
      }
    }
    const [row] = jsonLines(text) as Array<Record<string, number>>;
    assert.ok(Math.abs(Number(row?.['total']) - total) < 1e-6, text);
    assert.ok(Math.abs(Number(row?.['mean']) - total / n) < 1e-9, text);
  });

  it('NULLs: IS NULL counts every fifth row', async () => {
    const out = await run('SELECT COUNT(*) FROM S3Object s WHERE s.maybe IS NULL');
    assert.equal(out.records, `${ROWS / 5}\n`);
  });

  it('SELECT * as JSON keeps the column names and types', async () => {
    const out = await run('SELECT * FROM S3Object s WHERE s.id = 6', 'rows-snappy.parquet', true);
    assert.deepEqual(jsonLines(out.records), [
      { id: 6, name: 'name-6', price: 9, grp: 6, even: true, city: CITIES[6 % 4], maybe: 6 },
    ]);
  });

  it('LIMIT stops after the first row group', async () => {
    const out = await run('SELECT s.id FROM S3Object s LIMIT 3', 'rows-big.parquet');
    assert.equal(out.records, '0\n1\n2\n');
    assert.ok(out.stats!.scanned < files.get('big')!.length / 4, `scanned ${out.stats!.scanned}`);
  });

  it('projection: one column scans fewer bytes than every column', async () => {
    const one = await run('SELECT s.grp FROM S3Object s', 'rows-big.parquet');
    const all = await run('SELECT * FROM S3Object s', 'rows-big.parquet');
    const size = files.get('big')!.length;
    // The footer is fetched with up to 64 KiB of the file's tail, which the last row group may overlap.
    assert.ok(all.stats!.scanned <= size + 64 * 1024, `all ${all.stats!.scanned} of ${size}`);
    assert.ok(
      one.stats!.scanned * 3 < all.stats!.scanned,
      `one ${one.stats!.scanned}, all ${all.stats!.scanned}`,
    );
  });

  it('row groups whose statistics exclude the WHERE clause are skipped', async () => {
    const pruned = await run('SELECT s.name FROM S3Object s WHERE s.id < 100', 'rows-big.parquet');
    const full = await run('SELECT s.name FROM S3Object s WHERE s.id % 1000 = 1', 'rows-big.parquet');
    assert.equal(pruned.records.split('\n').length - 1, 100);
    assert.equal(full.records.split('\n').length - 1, BIG_ROWS / 1000);
    // What the footer costs: a WHERE that every row group's statistics exclude.
    const none = await run('SELECT s.name FROM S3Object s WHERE s.id < 0', 'rows-big.parquet');
    assert.equal(none.records, '');
    const footer = none.stats!.scanned;
    // One row group of ten is read.
    assert.ok(
      (pruned.stats!.scanned - footer) * 5 < full.stats!.scanned - footer,
      `footer ${footer}, pruned ${pruned.stats!.scanned}, full ${full.stats!.scanned}`,
    );
  });

  it('a truncated file → ParquetParsingError', async () => {
    const body = files.get('zstd')!;
    await putText(strata.s3, bucket, 'cut.parquet', body.subarray(0, body.length - 100));
    const out = await run('SELECT COUNT(*) FROM S3Object', 'cut.parquet');
    assert.equal(out.error?.code, 'ParquetParsingError', JSON.stringify(out.error));
  });

  it('a CSV object read as Parquet → ParquetParsingError', async () => {
    await putText(strata.s3, bucket, 'not.parquet', 'a,b\n1,2\n');
    const out = await run('SELECT * FROM S3Object', 'not.parquet');
    assert.equal(out.error?.code, 'ParquetParsingError', JSON.stringify(out.error));
  });

  it('mutated files: a result or a Parquet error event, never an internal error', async () => {
    const random = prng(20240611);
    for (const codec of ['zstd', 'snappy'] as const) {
      const body = files.get(codec)!;
      for (let m = 0; m < 12; m++) {
        const mutated = Buffer.from(body);
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(random() * mutated.length);
          mutated[at] = Math.floor(random() * 256);
        }
        await putText(strata.s3, bucket, 'mutated.parquet', mutated);
        const out = await run(
          'SELECT s.id, s.name, s.maybe FROM S3Object s WHERE s.grp = 1',
          'mutated.parquet',
        );
        if (out.error !== undefined) {
          assert.ok(PARQUET_ERRORS.includes(out.error.code), `${codec} #${m}: ${JSON.stringify(out.error)}`);
        } else {
          assert.ok(out.ended, `${codec} #${m}: the stream ends`);
        }
      }
    }
    const after = await run('SELECT COUNT(*) FROM S3Object');
    assert.equal(after.records, `${ROWS}\n`);
  });
});
