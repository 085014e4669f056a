/**
 * The event stream as a user's code sees it: ScanRange with S3's rule for
 * records straddling the range's ends, Progress when asked, Stats figures,
 * Records split into several events for large output, and LIMIT stopping
 * the scan early.
 */
import { CreateBucketCommand, type InputSerialization } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { putText, select, selectText } from './select-kit.js';

// Offsets: "a,1\n" 0–3, "bb,2\n" 4–8, "ccc,3\n" 9–14, "dddd,4\n" 15–21.
const SMALL = 'a,1\nbb,2\nccc,3\ndddd,4\n';
const SMALL_JSON = '{"k":"a"}\n{"k":"bb"}\n{"k":"ccc"}\n';
// 2 MiB-ish of rows: i, i*3, a text field.
const BIG_ROWS = 40_000;
const BIG = Array.from({ length: BIG_ROWS }, (_, i) => `${i},${i * 3},row-${i}-${'x'.repeat(i % 40)}\n`).join(
  '',
);

const csvNone: InputSerialization = { CSV: { FileHeaderInfo: 'NONE' } };

describe('S3 Select: the event stream', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-stream');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putText(strata.s3, bucket, 'small.csv', SMALL);
    await putText(strata.s3, bucket, 'small.jsonl', SMALL_JSON);
    await putText(strata.s3, bucket, 'big.csv', BIG);
    await putText(strata.s3, bucket, 'big.csv.gz', gzipSync(BIG));
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  const ranges: Array<[string, { Start?: number; End?: number }, string]> = [
    ['a range inside one record and the next: both start in it', { Start: 2, End: 10 }, 'bb,2\nccc,3\n'],
    ['Start on a record start, End on the same byte', { Start: 4, End: 4 }, 'bb,2\n'],
    ['the first byte only', { Start: 0, End: 0 }, 'a,1\n'],
    ['no record starts inside the range', { Start: 5, End: 8 }, ''],
    ['End straddles: the last record is read whole', { Start: 9, End: 16 }, 'ccc,3\ndddd,4\n'],
    ['Start only: to the end of the object', { Start: 9 }, 'ccc,3\ndddd,4\n'],
    ['End only: the last N bytes', { End: 7 }, 'dddd,4\n'],
    ['Start past the end of the object', { Start: 100 }, ''],
  ];
  for (const [name, range, want] of ranges) {
    it(`ScanRange on CSV: ${name}`, async () => {
      const text = await selectText(strata.s3, {
        Bucket: bucket,
        Key: 'small.csv',
        Expression: 'SELECT * FROM S3Object',
        InputSerialization: csvNone,
        ScanRange: range,
      });
      assert.equal(text, want);
    });
  }

  it('ScanRange: adjacent ranges cover every record exactly once', async () => {
    const step = 5;
    let all = '';
    for (let start = 0; start < SMALL.length; start += step) {
      all += await selectText(strata.s3, {
        Bucket: bucket,
        Key: 'small.csv',
        Expression: 'SELECT s._1 FROM S3Object s',
        InputSerialization: csvNone,
        ScanRange: { Start: start, End: start + step - 1 },
      });
    }
    assert.equal(all, 'a\nbb\nccc\ndddd\n');
  });

  it('ScanRange with FileHeaderInfo USE: the header is read from the start of the object', async () => {
    // "name,v\n" 0–6, "a,1\n" 7–10, "bb,2\n" 11–15.
    await putText(strata.s3, bucket, 'header.csv', 'name,v\na,1\nbb,2\n');
    const text = await selectText(strata.s3, {
      Bucket: bucket,
      Key: 'header.csv',
      Expression: 'SELECT s.v, s.name FROM S3Object s',
      InputSerialization: { CSV: { FileHeaderInfo: 'USE' } },
      ScanRange: { Start: 8, End: 15 },
    });
    assert.equal(text, '2,bb\n');
  });

  it('ScanRange on JSON LINES', async () => {
    // {"k":"a"}\n is bytes 0–9, {"k":"bb"}\n 10–20, {"k":"ccc"}\n 21–32.
    const text = await selectText(strata.s3, {
      Bucket: bucket,
      Key: 'small.jsonl',
      Expression: 'SELECT s.k FROM S3Object s',
      InputSerialization: { JSON: { Type: 'LINES' } },
      OutputSerialization: { JSON: {} },
      ScanRange: { Start: 1, End: 21 },
    });
    assert.equal(text, '{"k":"bb"}\n{"k":"ccc"}\n');
  });

  it('Stats: a full CSV scan scans and processes the whole object; BytesReturned is the output size', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'big.csv',
      Expression: `SELECT s._3 FROM S3Object s WHERE CAST(s._1 AS INT) % 1000 = 7`,
      InputSerialization: csvNone,
    });
    const size = Buffer.byteLength(BIG);
    const want = Array.from({ length: BIG_ROWS / 1000 }, (_, k) => k * 1000 + 7)
      .map((i) => `row-${i}-${'x'.repeat(i % 40)}\n`)
      .join('');
    assert.equal(out.records, want);
    assert.deepEqual(out.stats, { scanned: size, processed: size, returned: Buffer.byteLength(want) });
    assert.deepEqual(out.events.slice(-2), ['Stats', 'End']);
  });

  it('Stats: for GZIP input BytesScanned is the compressed size, BytesProcessed the plain size', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'big.csv.gz',
      Expression: 'SELECT COUNT(*) FROM S3Object',
      InputSerialization: { CSV: { FileHeaderInfo: 'NONE' }, CompressionType: 'GZIP' },
    });
    assert.equal(out.records, `${BIG_ROWS}\n`);
    assert.deepEqual(out.stats, {
      scanned: gzipSync(BIG).length,
      processed: Buffer.byteLength(BIG),
      returned: Buffer.byteLength(`${BIG_ROWS}\n`),
    });
  });

  it('RequestProgress: Progress events come before Stats and never exceed it', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'big.csv',
      Expression: 'SELECT COUNT(*) FROM S3Object',
      InputSerialization: csvNone,
      RequestProgress: { Enabled: true },
    });
    assert.ok(out.progress.length >= 1, `events: ${out.events.join(' ')}`);
    const statsAt = out.events.indexOf('Stats');
    assert.ok(out.events.lastIndexOf('Progress') < statsAt);
    for (const p of out.progress) {
      assert.ok(p.scanned <= out.stats!.scanned && p.processed <= out.stats!.processed);
    }
  });

  it('no Progress events unless asked', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'small.csv',
      Expression: 'SELECT * FROM S3Object',
      InputSerialization: csvNone,
    });
    assert.deepEqual(out.events, ['Records', 'Stats', 'End']);
  });

  it('large output comes in several Records events that join into the exact output', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'big.csv',
      Expression: 'SELECT * FROM S3Object',
      InputSerialization: csvNone,
    });
    assert.equal(out.error, undefined);
    assert.equal(out.records, BIG);
    assert.ok(
      out.recordEvents >= Math.floor(Buffer.byteLength(BIG) / (300 * 1024)),
      `${out.recordEvents} events`,
    );
  });

  it('LIMIT stops reading the object early', async () => {
    // Big enough that the store's first read (up to 1 MiB) is a small part of it.
    const long = BIG.repeat(4);
    await putText(strata.s3, bucket, 'long.csv', long);
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'long.csv',
      Expression: 'SELECT s._1 FROM S3Object s LIMIT 3',
      InputSerialization: csvNone,
    });
    assert.equal(out.records, '0\n1\n2\n');
    assert.ok(out.stats!.scanned < Buffer.byteLength(long) / 4, `scanned ${out.stats!.scanned}`);
  });

  it('an empty object gives no records, then Stats and End', async () => {
    await putText(strata.s3, bucket, 'empty.csv', '');
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'empty.csv',
      Expression: 'SELECT COUNT(*) FROM S3Object',
      InputSerialization: csvNone,
    });
    assert.equal(out.records, '0\n');
    assert.deepEqual(out.stats, { scanned: 0, processed: 0, returned: 2 });
  });
});
