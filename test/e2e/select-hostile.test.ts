/**
 * Hostile input gets an error event (or an S3 error), never a crash or an
 * unbounded buffer, and the server keeps serving: corrupt and truncated
 * GZIP / BZIP2, data that is not compressed at all, a gzip bomb, a CSV line
 * over 1 MB, deeply nested JSON.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { emptyAndDeleteBucket } from '../helpers/object-kit.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { putText, select } from './select-kit.js';

const ROWS = Array.from({ length: 20_000 }, (_, i) => `${i},name-${i},${i % 7}\n`).join('');
const GZ = gzipSync(ROWS);
// bzip2 -c of: id,item,qty\n1,apple,3\n2,pear,5\n3,"fig, dried",7\n
const BZ2 = Buffer.from(
  'QlpoOTFBWSZTWemdPCYAABDZgAAQUAQ6gCemdCAgADFGjIGjTI0ImSaeU8JD1PKWadGw71FM5xMAojhA97n7NuSRSmpFRDtLb8XckU4UJDpnTwmA',
  'base64',
);

function flipped(b: Buffer, at: number): Buffer {
  const out = Buffer.from(b);
  out[at] = out[at]! ^ 0x5a;
  return out;
}

/** gzip of `mib` MiB of one byte value, made a chunk at a time. */
async function gzipBomb(mib: number, byte: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  const chunk = Buffer.alloc(1024 * 1024, byte);
  for (let i = 0; i < mib; i++) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

describe('S3 Select: hostile input', () => {
  let strata: TestStrata;
  const bucket = bucketName('select-hostile');

  before(async () => {
    strata = await startStrata();
    await strata.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putText(strata.s3, bucket, 'rows.csv', ROWS);
  });

  after(async () => {
    await emptyAndDeleteBucket(strata.s3, bucket);
    await strata.close();
  });

  const cases: Array<
    [
      name: string,
      body: () => Buffer | Promise<Buffer>,
      compression: 'GZIP' | 'BZIP2' | 'NONE',
      codes: string[],
    ]
  > = [
    ['a truncated gzip', () => GZ.subarray(0, Math.floor(GZ.length / 2)), 'GZIP', ['TruncatedInput']],
    ['a bit-flipped gzip body', () => flipped(GZ, Math.floor(GZ.length / 2)), 'GZIP', ['TruncatedInput']],
    ['plain text declared GZIP', () => Buffer.from(ROWS), 'GZIP', ['InvalidCompressionFormat']],
    ['a truncated bzip2', () => BZ2.subarray(0, BZ2.length - 20), 'BZIP2', ['TruncatedInput']],
    ['a bit-flipped bzip2', () => flipped(BZ2, 30), 'BZIP2', ['TruncatedInput']],
    ['plain text declared BZIP2', () => Buffer.from(ROWS), 'BZIP2', ['InvalidCompressionFormat']],
    // 64 MiB of 'x' with no record delimiter, in ~64 KB of gzip.
    ['a gzip bomb that is one endless line', () => gzipBomb(64, 0x78), 'GZIP', ['OverMaxRecordSize']],
    [
      'a CSV line over 1 MB',
      () => Buffer.from('a,b\n' + 'y'.repeat(1024 * 1024 + 10) + '\n1,2\n'),
      'NONE',
      ['OverMaxRecordSize'],
    ],
  ];
  for (const [name, body, compression, codes] of cases) {
    it(`${name} → ${codes.join(' or ')}`, async () => {
      const key = `hostile-${name.replace(/\W+/g, '-')}`;
      await putText(strata.s3, bucket, key, await body());
      const out = await select(strata.s3, {
        Bucket: bucket,
        Key: key,
        Expression: 'SELECT COUNT(*) FROM S3Object',
        InputSerialization: { CSV: {}, CompressionType: compression },
      });
      assert.ok(
        out.error && codes.includes(out.error.code),
        `got ${JSON.stringify(out.error)} / ${out.records}`,
      );
      assert.equal(out.ended, false);
    });
  }

  it('deeply nested JSON → JSONParsingError', async () => {
    const depth = 100_000;
    await putText(strata.s3, bucket, 'deep.json', '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}\n');
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'deep.json',
      Expression: 'SELECT * FROM S3Object',
      InputSerialization: { JSON: { Type: 'LINES' } },
      OutputSerialization: { JSON: {} },
    });
    assert.equal(out.error?.code, 'JSONParsingError', JSON.stringify(out.error));
  });

  it('truncated JSON → JSONParsingError', async () => {
    await putText(strata.s3, bucket, 'cut.json', '{"a": 1}\n{"a": [1, 2');
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'cut.json',
      Expression: 'SELECT * FROM S3Object',
      InputSerialization: { JSON: { Type: 'LINES' } },
      OutputSerialization: { JSON: {} },
    });
    assert.equal(out.error?.code, 'JSONParsingError', JSON.stringify(out.error));
  });

  it('the server still answers afterwards', async () => {
    const out = await select(strata.s3, {
      Bucket: bucket,
      Key: 'rows.csv',
      Expression: `SELECT COUNT(*) FROM S3Object s WHERE s._3 = '0'`,
      InputSerialization: { CSV: {} },
    });
    assert.equal(out.records, `${Math.ceil(20_000 / 7)}\n`);
  });
});
