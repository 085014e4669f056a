/**
 * The parallel Select scan gives what the sequential scan gives: the same
 * records in the same order, the same Stats, the same error event after the
 * same rows. Two real nodes answer through the SDK: one scanning on the
 * request's thread (STRATA_SELECT_THREADS=1), one on two worker threads with
 * tiny pieces, so that every object below is cut into dozens of pieces and
 * many records straddle piece boundaries.
 */
import {
  CreateBucketCommand,
  SelectObjectContentCommand,
  type InputSerialization,
  type OutputSerialization,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { putText, select, type SelectOutcome } from './select-kit.js';

interface Row {
  readonly id: number;
  readonly name: string;
  readonly cat: string;
  readonly qty: number | undefined;
  readonly price: string;
}

const CATEGORIES = ['books', 'music', 'games', 'tools'];

/** Rows with a comma inside quotes, empty values and multi-byte text. */
const ROWS: Row[] = Array.from({ length: 400 }, (_, i) => ({
  id: i,
  name: i % 7 === 0 ? `Zoë, nº${i}` : `name${i}`,
  cat: CATEGORIES[i % CATEGORIES.length]!,
  qty: i % 11 === 0 ? undefined : (i * 37) % 100,
  price: (((i * 7919) % 10_000) / 100).toFixed(2),
}));

const csvLine = (r: Row): string =>
  `${r.id},${r.name.includes(',') ? `"${r.name}"` : r.name},${r.cat},${r.qty ?? ''},${r.price}`;
const HEADER = 'id,name,cat,qty,price';

const CSV = `${HEADER}\n${ROWS.map(csvLine).join('\n')}\n`;
/** CRLF, a byte order mark, blank lines here and there, no final newline. */
const CSV_CRLF =
  `\ufeff${HEADER}\r\n` + ROWS.map((r, i) => (i % 50 === 0 ? '\r\n' : '') + csvLine(r)).join('\r\n');
/** Comment and blank lines before the header, comments among the rows. */
const CSV_COMMENTS =
  `# made by a test\n\n#more\n${HEADER}\n` +
  ROWS.map((r, i) => (i % 60 === 0 ? `#skip ${i}\n` : '') + csvLine(r)).join('\n') +
  '\n';
/** Row 390's price does not CAST to FLOAT: the error comes from a late piece. */
const CSV_BAD = CSV.replace(/\n(390,[^\n]*,)[^,\n]*\n/, '\n$1oops\n');
const jsonLine = (r: Row): string =>
  JSON.stringify({ id: r.id, name: r.name, cat: r.cat, qty: r.qty ?? null, price: Number(r.price) });
/** Blank lines and CRLF here and there. */
const JSONL = ROWS.map(
  (r, i) => (i % 40 === 0 ? '\n' : '') + jsonLine(r) + (i % 3 === 0 ? '\r\n' : '\n'),
).join('');
/** Line 300 is not JSON. */
const JSONL_BAD = ROWS.map((r, i) => (i === 300 ? '{"id": 300,' : jsonLine(r)) + '\n').join('');
/** Row 350's qty is text among numbers: MIN / MAX of qty cannot compare them. */
const JSONL_MIXED = ROWS.map((r, i) =>
  i === 350 ? jsonLine(r).replace(/"qty":[^,]*/, '"qty":"many"') : jsonLine(r),
).join('\n');

const CSV_USE: InputSerialization = { CSV: { FileHeaderInfo: 'USE' } };
const CSV_COMMENTED: InputSerialization = { CSV: { FileHeaderInfo: 'USE', Comments: '#' } };
const CSV_NONE: InputSerialization = { CSV: { FileHeaderInfo: 'NONE' } };
const CSV_IGNORE: InputSerialization = { CSV: { FileHeaderInfo: 'IGNORE' } };
const LINES: InputSerialization = { JSON: { Type: 'LINES' } };
const JSON_OUT: OutputSerialization = { JSON: {} };

interface Case {
  readonly key: string;
  readonly input: InputSerialization;
  readonly sql: string;
  readonly output?: OutputSerialization;
}

const OBJECTS: Record<string, string> = {
  'plain.csv': CSV,
  'crlf.csv': CSV_CRLF,
  'comments.csv': CSV_COMMENTS,
  'bad.csv': CSV_BAD,
  'rows.jsonl': JSONL,
  'bad.jsonl': JSONL_BAD,
  'mixed.jsonl': JSONL_MIXED,
  'long.jsonl': JSONL.repeat(10),
};

const CASES: Case[] = [];
for (const key of ['plain.csv', 'crlf.csv']) {
  CASES.push(
    { key, input: CSV_USE, sql: 'SELECT * FROM S3Object' },
    { key, input: CSV_USE, sql: `SELECT s.id, s.name FROM S3Object s WHERE s.cat = 'music'` },
    {
      key,
      input: CSV_USE,
      sql: 'SELECT s.name, s.price FROM S3Object s WHERE CAST(s.price AS FLOAT) > 50',
      output: JSON_OUT,
    },
    { key, input: CSV_USE, sql: `SELECT COUNT(*), COUNT(s.qty) FROM S3Object s WHERE s.cat <> 'tools'` },
    { key, input: CSV_USE, sql: `SELECT COUNT(*) FROM S3Object s WHERE s.cat = 'none'` },
    { key, input: CSV_NONE, sql: 'SELECT _1, _3 FROM S3Object' },
    { key, input: CSV_IGNORE, sql: `SELECT _2 FROM S3Object WHERE _3 = 'games'` },
    { key, input: CSV_NONE, sql: 'SELECT COUNT(*) FROM S3Object' },
  );
}
CASES.push(
  {
    key: 'comments.csv',
    input: CSV_COMMENTED,
    sql: 'SELECT s.id, s.cat FROM S3Object s WHERE CAST(s.id AS INT) % 9 = 0',
  },
  { key: 'comments.csv', input: CSV_COMMENTED, sql: 'SELECT COUNT(*) AS n FROM S3Object', output: JSON_OUT },
  { key: 'bad.csv', input: CSV_USE, sql: 'SELECT s.id FROM S3Object s WHERE CAST(s.price AS FLOAT) > 50' },
  { key: 'rows.jsonl', input: LINES, sql: 'SELECT * FROM S3Object', output: JSON_OUT },
  { key: 'rows.jsonl', input: LINES, sql: `SELECT s.id, s.name FROM S3Object s WHERE s.price > 50` },
  { key: 'rows.jsonl', input: LINES, sql: 'SELECT COUNT(*), COUNT(s.qty) FROM S3Object s' },
  { key: 'rows.jsonl', input: LINES, sql: `SELECT COUNT(s.nothing) FROM S3Object s` },
  { key: 'bad.jsonl', input: LINES, sql: 'SELECT s.id FROM S3Object s', output: JSON_OUT },
  // Aggregates: the pieces' parts merged in object order on the request's thread.
  {
    key: 'rows.jsonl',
    input: LINES,
    sql: 'SELECT SUM(s.price), AVG(s.qty), MIN(s.name), MAX(s.id) FROM S3Object s',
  },
  {
    key: 'rows.jsonl',
    input: LINES,
    sql: `SELECT SUM(s.price * 1.1) / COUNT(*) AS per, MAX(s.price) - MIN(ALL s.price) FROM S3Object s WHERE s.cat IN ('books', 'games')`,
    output: JSON_OUT,
  },
  {
    key: 'rows.jsonl',
    input: LINES,
    sql: `SELECT SUM(s.price), AVG(s.price), MIN(s.qty) FROM S3Object s WHERE s.cat = 'none'`,
  },
  { key: 'rows.jsonl', input: LINES, sql: 'SELECT SUM(s.name) FROM S3Object s' },
  {
    key: 'rows.jsonl',
    input: LINES,
    sql: 'SELECT MAX(CASE WHEN s.id > 200 THEN s.name ELSE s.id END) FROM S3Object s',
  },
  {
    key: 'rows.jsonl',
    input: LINES,
    sql: 'SELECT /* sum ( */ SUM(\n  s.price -- the price )\n) FROM S3Object s',
  },
  { key: 'bad.jsonl', input: LINES, sql: 'SELECT AVG(s.price) FROM S3Object s' },
  {
    key: 'plain.csv',
    input: CSV_USE,
    sql: `SELECT SUM(CAST(s.price AS FLOAT)), AVG(CAST(s.qty AS INT)) FROM S3Object s WHERE s.qty <> ''`,
  },
  {
    key: 'crlf.csv',
    input: CSV_USE,
    sql: `SELECT MIN(CAST(s.price AS DECIMAL)), MAX(CAST(s.id AS INT)), COUNT(s.name) FROM S3Object s WHERE s.cat = 'tools'`,
  },
  { key: 'plain.csv', input: CSV_USE, sql: 'SELECT SUM(CAST(s.qty AS INT)) FROM S3Object s' },
  { key: 'bad.csv', input: CSV_USE, sql: 'SELECT AVG(CAST(s.price AS FLOAT)) FROM S3Object s' },
  // CSV text read as numbers by SUM / AVG / MIN / MAX; names stay text for MIN / MAX.
  {
    key: 'crlf.csv',
    input: CSV_USE,
    sql: 'SELECT SUM(s.price), AVG(s.qty), MIN(s.price), MAX(s.name), MIN(s.qty), COUNT(s.qty) FROM S3Object s',
  },
  { key: 'plain.csv', input: CSV_USE, sql: 'SELECT SUM(s.name) FROM S3Object s' },
  { key: 'bad.csv', input: CSV_USE, sql: 'SELECT AVG(s.price), MAX(s.price) FROM S3Object s' },
  // Pieces that are fine alone but do not merge: the sequential scan's error.
  { key: 'mixed.jsonl', input: LINES, sql: 'SELECT MIN(s.qty) FROM S3Object s' },
  { key: 'mixed.jsonl', input: LINES, sql: 'SELECT COUNT(s.qty), MAX(s.qty), SUM(s.price) FROM S3Object s' },
  // Kept sequential (LIMIT): the same answers either way.
  { key: 'plain.csv', input: CSV_USE, sql: 'SELECT s.id FROM S3Object s LIMIT 3' },
);

describe('S3 Select scanned in parallel', () => {
  let seq: TestStrata;
  let par: TestStrata;
  const bucket = bucketName('selpar');

  before(async () => {
    seq = await startStrata({ STRATA_SELECT_THREADS: '1' });
    par = await startStrata(
      { STRATA_SELECT_THREADS: '2' },
      { selectScan: { pieceBytes: 64, minObjectBytes: 1 } },
    );
    for (const node of [seq, par]) {
      await node.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const [key, body] of Object.entries(OBJECTS)) await putText(node.s3, bucket, key, body);
    }
  });

  after(async () => {
    for (const node of [seq, par]) {
      await emptyAndDeleteBucket(node.s3, bucket);
      await node.close();
    }
  });

  const run = (node: TestStrata, c: Case): Promise<SelectOutcome> =>
    select(node.s3, {
      Bucket: bucket,
      Key: c.key,
      Expression: c.sql,
      InputSerialization: c.input,
      ...(c.output ? { OutputSerialization: c.output } : {}),
      RequestProgress: { Enabled: true },
    });

  for (const c of CASES) {
    it(`${c.key}: ${c.sql}`, async () => {
      const [a, b] = await Promise.all([run(seq, c), run(par, c)]);
      assert.equal(b.records, a.records);
      assert.deepEqual(b.error, a.error);
      assert.deepEqual(b.stats, a.stats);
      assert.equal(b.ended, a.ended);
      // The last Progress (sent just before Stats) has the final figures.
      assert.deepEqual(b.progress.at(-1), a.progress.at(-1));
    });
  }

  it('answers with the rows and counts written out here', async () => {
    const music = ROWS.filter((r) => r.cat === 'music');
    const rowsOut = await run(par, {
      key: 'crlf.csv',
      input: CSV_USE,
      sql: `SELECT s.id, s.name FROM S3Object s WHERE s.cat = 'music'`,
    });
    assert.equal(
      rowsOut.records,
      music.map((r) => `${r.id},${r.name.includes(',') ? `"${r.name}"` : r.name}\n`).join(''),
    );
    const counts = await run(par, {
      key: 'rows.jsonl',
      input: LINES,
      sql: 'SELECT COUNT(*), COUNT(s.qty) FROM S3Object s',
    });
    assert.equal(counts.records, `${ROWS.length},${ROWS.filter((r) => r.qty !== undefined).length}\n`);
    const sum = await run(par, {
      key: 'rows.jsonl',
      input: LINES,
      sql: 'SELECT SUM(s.price), MAX(s.qty) FROM S3Object s',
    });
    let total = 0;
    for (const r of ROWS) total += Number(r.price);
    assert.equal(sum.records, `${total},${Math.max(...ROWS.map((r) => r.qty ?? 0))}\n`);
    const none = await run(par, {
      key: 'plain.csv',
      input: CSV_USE,
      sql: `SELECT COUNT(*) FROM S3Object s WHERE s.cat = 'none'`,
    });
    assert.equal(none.records, '0\n');
  });

  it('runs on the threads, and again on the request thread when pieces do not merge', async () => {
    const scans = async (): Promise<Record<string, number>> => {
      const auth = Buffer.from(`${par.accessKey}:${par.secretKey}`).toString('base64');
      const res = await fetch(`${par.endpoint}/_strata/metrics`, {
        headers: { authorization: `Basic ${auth}` },
      });
      const out: Record<string, number> = {};
      for (const m of (await res.text()).matchAll(/^strata_select_scans_total\{scan="(\w+)"\} (\d+)$/gm))
        out[m[1]!] = Number(m[2]);
      return out;
    };
    const delta = async (c: Case): Promise<Record<string, number>> => {
      const before = await scans();
      await run(par, c);
      const after = await scans();
      return Object.fromEntries(
        Object.entries(after)
          .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
          .filter(([, d]) => d !== 0),
      );
    };
    const sql = 'SELECT SUM(s.price), AVG(s.qty), MIN(s.name), MAX(s.qty) FROM S3Object s';
    assert.deepEqual(await delta({ key: 'rows.jsonl', input: LINES, sql }), { parallel: 1 });
    assert.deepEqual(await delta({ key: 'plain.csv', input: CSV_USE, sql }), { parallel: 1 });
    assert.deepEqual(await delta({ key: 'plain.csv', input: CSV_USE, sql: `${sql} LIMIT 1` }), {
      sequential: 1,
    });
    const mixed = await delta({ key: 'mixed.jsonl', input: LINES, sql: 'SELECT MAX(s.qty) FROM S3Object s' });
    assert.deepEqual(mixed, { parallel_then_sequential: 1 });
  });

  it('sends the rows before a bad value, then the error event', async () => {
    const out = await run(par, {
      key: 'bad.csv',
      input: CSV_USE,
      sql: 'SELECT s.id FROM S3Object s WHERE CAST(s.price AS FLOAT) > 50',
    });
    assert.equal(out.error?.code, 'CastFailed');
    const before = ROWS.filter((r) => r.id < 390 && Number(r.price) > 50).map((r) => `${r.id}\n`);
    assert.ok(before.length > 0);
    assert.equal(out.records, before.join(''));
  });

  it('a client that goes away mid-stream: the node keeps answering', async () => {
    const ac = new AbortController();
    const res = await par.s3.send(
      new SelectObjectContentCommand({
        Bucket: bucket,
        Key: 'long.jsonl',
        Expression: 'SELECT * FROM S3Object',
        ExpressionType: 'SQL',
        InputSerialization: LINES,
        OutputSerialization: JSON_OUT,
      }),
      { abortSignal: ac.signal },
    );
    // The response may be complete before the abort lands: either way is fine here.
    try {
      for await (const ev of res.Payload!) if (ev.Records) ac.abort();
    } catch {
      // aborted
    }
    const c: Case = {
      key: 'long.jsonl',
      input: LINES,
      sql: 'SELECT s.id FROM S3Object s WHERE s.price > 90',
    };
    const [a, b] = await Promise.all([run(seq, c), run(par, c)]);
    assert.equal(b.records, a.records);
    assert.ok(b.ended);
  });
});
