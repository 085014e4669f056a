/**
 * S3 Select on JSON objects through the real SDK: LINES and DOCUMENT input,
 * paths into nested objects and arrays, MISSING versus NULL, compressed
 * input, and JSON output with its RecordDelimiter.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { checkCase, jsonLines, putText, selectText, type SelectCase } from './select-kit.js';

const ROWS = [
  { id: 1, name: 'Ann', tags: ['a', 'b'], addr: { city: 'Paris', zip: '75001' }, score: 88.5 },
  { id: 2, name: 'Bob', tags: [], addr: { city: 'Rome' }, score: 72.25, extra: null },
  { id: 3, name: 'Cid', addr: { city: 'Oslo' }, score: 91 },
];
const LINES = ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n';
const DOCUMENT = JSON.stringify(
  {
    owner: 'Zed',
    books: [
      { title: 'A', price: 10 },
      { title: 'B', price: 25.5 },
      { title: 'C', price: 30 },
    ],
  },
  null,
  2,
);
// bzip2 -c of: {"id":1,"tag":"x"}\n{"id":2,"tag":"y"}\n
const BZIP2_LINES = Buffer.from(
  'QlpoOTFBWSZTWTFGrtQAABFZgAAQEAQwECSgBGogACEqAGg/VCmAAEggTBAu+WOAiJUkkz4u5IpwoSBijV2o',
  'base64',
);

const lines = { JSON: { Type: 'LINES' as const } };
const jsonOut = { JSON: {} };

const cases: SelectCase[] = [
  {
    name: 'LINES: a nested field in WHERE',
    key: 'rows.jsonl',
    sql: `SELECT s.name FROM S3Object s WHERE s.addr.city = 'Rome'`,
    input: lines,
    output: jsonOut,
    want: '{"name":"Bob"}\n',
  },
  {
    name: 'LINES: an array index; MISSING values are left out of the object',
    key: 'rows.jsonl',
    sql: 'SELECT s.tags[0] AS t FROM S3Object s',
    input: lines,
    output: jsonOut,
    want: '{"t":"a"}\n{}\n{}\n',
  },
  {
    name: 'LINES: SELECT * returns the whole record',
    key: 'rows.jsonl',
    sql: 'SELECT * FROM S3Object s WHERE s.id = 3',
    input: lines,
    output: jsonOut,
    want: JSON.stringify(ROWS[2]) + '\n',
  },
  {
    name: 'LINES: IS MISSING',
    key: 'rows.jsonl',
    sql: 'SELECT s.name FROM S3Object s WHERE s.extra IS MISSING',
    input: lines,
    output: jsonOut,
    want: '{"name":"Ann"}\n{"name":"Cid"}\n',
  },
  {
    name: 'LINES: IS NULL AND IS NOT MISSING',
    key: 'rows.jsonl',
    sql: 'SELECT s.name FROM S3Object s WHERE s.extra IS NULL AND s.extra IS NOT MISSING',
    input: lines,
    output: jsonOut,
    want: '{"name":"Bob"}\n',
  },
  {
    name: 'LINES: a nested object as a value',
    key: 'rows.jsonl',
    sql: 'SELECT s.addr FROM S3Object s LIMIT 1',
    input: lines,
    output: jsonOut,
    want: '{"addr":{"city":"Paris","zip":"75001"}}\n',
  },
  {
    name: 'LINES to CSV output',
    key: 'rows.jsonl',
    sql: 'SELECT s.id, s.addr.city FROM S3Object s',
    input: lines,
    want: '1,Paris\n2,Rome\n3,Oslo\n',
  },
  {
    name: 'DOCUMENT: a FROM path with wildcards and an alias',
    key: 'books.json',
    sql: 'SELECT b.title FROM S3Object[*].books[*] b WHERE b.price > 20',
    input: { JSON: { Type: 'DOCUMENT' } },
    output: jsonOut,
    want: '{"title":"B"}\n{"title":"C"}\n',
  },
  {
    name: 'DOCUMENT: a top-level field',
    key: 'books.json',
    sql: 'SELECT s.owner FROM S3Object s',
    input: { JSON: { Type: 'DOCUMENT' } },
    output: jsonOut,
    want: '{"owner":"Zed"}\n',
  },
  {
    name: 'JSON output RecordDelimiter',
    key: 'rows.jsonl',
    sql: 'SELECT s.id FROM S3Object s',
    input: lines,
    output: { JSON: { RecordDelimiter: ';' } },
    want: '{"id":1};{"id":2};{"id":3};',
  },
  {
    name: 'JSON output RecordDelimiter CRLF',
    key: 'rows.jsonl',
    sql: 'SELECT s.id FROM S3Object s LIMIT 2',
    input: lines,
    output: { JSON: { RecordDelimiter: '\r\n' } },
    want: '{"id":1}\r\n{"id":2}\r\n',
  },
  {
    name: 'GZIP LINES',
    key: 'rows.jsonl.gz',
    sql: 'SELECT COUNT(*) AS n FROM S3Object s WHERE s.score > 80',
    input: { JSON: { Type: 'LINES' }, CompressionType: 'GZIP' },
    output: jsonOut,
    want: `{"n":${ROWS.filter((r) => r.score > 80).length}}\n`,
  },
  {
    name: 'BZIP2 LINES',
    key: 'tags.jsonl.bz2',
    sql: `SELECT s.id FROM S3Object s WHERE s.tag = 'y'`,
    input: { JSON: { Type: 'LINES' }, CompressionType: 'BZIP2' },
    output: jsonOut,
    want: '{"id":2}\n',
  },
];

describe('S3 Select: JSON input', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-json');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putText(strata.s3, bucket, 'rows.jsonl', LINES);
    await putText(strata.s3, bucket, 'rows.jsonl.gz', gzipSync(LINES));
    await putText(strata.s3, bucket, 'tags.jsonl.bz2', BZIP2_LINES);
    await putText(strata.s3, bucket, 'books.json', DOCUMENT);
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  for (const c of cases) {
    it(c.name, async () => {
      await checkCase(strata.s3, bucket, c);
    });
  }

  it('SUM, AVG, MIN and MAX match the values computed here', async () => {
    const text = await selectText(strata.s3, {
      Bucket: bucket,
      Key: 'rows.jsonl',
      Expression:
        'SELECT SUM(s.score) AS total, AVG(s.score) AS mean, MIN(s.id) AS lo, MAX(s.score) AS hi FROM S3Object s',
      InputSerialization: lines,
      OutputSerialization: jsonOut,
    });
    const [row] = jsonLines(text) as Array<Record<string, number>>;
    const scores = ROWS.map((r) => r.score);
    const total = scores.reduce((a, b) => a + b, 0);
    assert.ok(row);
    assert.ok(Math.abs(Number(row['total']) - total) < 1e-9, `total ${row['total']}`);
    assert.ok(Math.abs(Number(row['mean']) - total / scores.length) < 1e-9, `mean ${row['mean']}`);
    assert.equal(Number(row['lo']), Math.min(...ROWS.map((r) => r.id)));
    assert.equal(Number(row['hi']), Math.max(...scores));
  });
});
