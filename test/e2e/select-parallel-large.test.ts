/**
 * The parallel Select scan over an object of several MiB: the store reads it
 * in whole 1 MiB chunks, which the scan gives back once it has copied them
 * (ObjectStore.recycle), so later reads reuse their memory. The answers are
 * those of the sequential scan and of the rows written here.
 */
import { CreateBucketCommand, type InputSerialization } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { putText, select } from './select-kit.js';

/** ~6 MB of rows, each different, so a chunk read into the wrong memory changes the answers. */
const ROWS = Array.from({ length: 150_000 }, (_, i) => ({
  id: i,
  amount: (i * 7919) % 100_003,
  label: `label-${((i * 31) % 9973).toString(36)}-${'x'.repeat(i % 40)}`,
}));
const CSV = 'id,amount,label\n' + ROWS.map((r) => `${r.id},${r.amount},${r.label}`).join('\n') + '\n';
const CSV_USE: InputSerialization = { CSV: { FileHeaderInfo: 'USE' } };

describe('S3 Select scanned in parallel, several MiB', () => {
  let seq: TestStrata;
  let par: TestStrata;
  const bucket = bucketName('selbig');

  before(async () => {
    seq = await startStrata({ STRATA_SELECT_THREADS: '1' });
    par = await startStrata(
      { STRATA_SELECT_THREADS: '2' },
      { selectScan: { pieceBytes: 300_000, minObjectBytes: 1 } },
    );
    for (const node of [seq, par]) {
      await node.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await putText(node.s3, bucket, 'rows.csv', CSV);
    }
  });

  after(async () => {
    for (const node of [seq, par]) {
      await emptyAndDeleteBucket(node.s3, bucket);
      await node.close();
    }
  });

  const run = (node: TestStrata, sql: string) =>
    select(node.s3, { Bucket: bucket, Key: 'rows.csv', Expression: sql, InputSerialization: CSV_USE });

  it('sums every row once', async () => {
    assert.ok(CSV.length > 5 * 1024 * 1024);
    const sql = 'SELECT SUM(CAST(s.amount AS INT)), COUNT(*), MAX(s.label) FROM S3Object s';
    const [a, b] = await Promise.all([run(seq, sql), run(par, sql)]);
    const sum = ROWS.reduce((n, r) => n + r.amount, 0);
    const max = ROWS.map((r) => r.label).reduce((m, l) => (l > m ? l : m));
    assert.equal(b.records, `${sum},${ROWS.length},${max}\n`);
    assert.equal(a.records, b.records);
    assert.deepEqual(b.stats, a.stats);
  });

  it('returns the filtered rows in order', async () => {
    const sql = 'SELECT s.id, s.label FROM S3Object s WHERE CAST(s.id AS INT) % 7 = 3';
    const [a, b] = await Promise.all([run(seq, sql), run(par, sql)]);
    const want = ROWS.filter((r) => r.id % 7 === 3)
      .map((r) => `${r.id},${r.label}\n`)
      .join('');
    assert.equal(b.records, want);
    assert.equal(a.records, want);
  });
});
