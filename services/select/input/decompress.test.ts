import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { BOMB, BOMB_SIZE, MULTI_STREAM, THREE_BLOCKS, multiBlockCsv } from './bzip2-fixtures.js';
import { decompressed, type CompressionType } from './decompress.js';
import { chunksOf, outcome } from './reader-test-kit.js';

async function drain(input: AsyncIterable<Buffer>): Promise<{ text: string; sizes: number[] }> {
  const parts: Buffer[] = [];
  for await (const c of input) parts.push(c);
  return { text: Buffer.concat(parts).toString(), sizes: parts.map((p) => p.length) };
}

const csv = Array.from({ length: 3000 }, (_, i) => `${i},name ${i % 13},${(i * 37) % 1000}\n`).join('');
const gz = zlib.gzipSync(csv);
const corrupt = (b: Buffer, at: number) => {
  const c = Buffer.from(b);
  c[at] = (c[at] ?? 0) ^ 0x55;
  return c;
};

describe('decompressed: round trips', () => {
  const cases: { name: string; type: CompressionType; data: Buffer; text: string; chunk: number }[] = [
    { name: 'NONE passes bytes through', type: 'NONE', data: Buffer.from(csv), text: csv, chunk: 1000 },
    { name: 'GZIP', type: 'GZIP', data: gz, text: csv, chunk: 7 },
    {
      name: 'GZIP with several members',
      type: 'GZIP',
      data: Buffer.concat([zlib.gzipSync('a,b\n'), zlib.gzipSync(''), zlib.gzipSync('1,2\n')]),
      text: 'a,b\n1,2\n',
      chunk: 5,
    },
    { name: 'GZIP of an empty object', type: 'GZIP', data: Buffer.alloc(0), text: '', chunk: 1 },
    { name: 'BZIP2 with two streams', type: 'BZIP2', data: MULTI_STREAM, text: 'a,b\n1,2\n3,4\n', chunk: 3 },
    { name: 'BZIP2 with three blocks', type: 'BZIP2', data: THREE_BLOCKS, text: multiBlockCsv(), chunk: 100 },
    { name: 'BZIP2 of an empty object', type: 'BZIP2', data: Buffer.alloc(0), text: '', chunk: 1 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.equal((await drain(decompressed(chunksOf(c.data, c.chunk), c.type))).text, c.text);
    });
  }
});

describe('decompressed: bad streams', () => {
  const bz = THREE_BLOCKS;
  const cases: { name: string; type: CompressionType; data: Buffer; code: string }[] = [
    { name: 'GZIP of plain text', type: 'GZIP', data: Buffer.from(csv), code: 'InvalidCompressionFormat' },
    { name: 'GZIP of bzip2 data', type: 'GZIP', data: bz, code: 'InvalidCompressionFormat' },
    { name: 'GZIP cut short', type: 'GZIP', data: gz.subarray(0, gz.length - 20), code: 'TruncatedInput' },
    { name: 'GZIP cut in its header', type: 'GZIP', data: gz.subarray(0, 5), code: 'TruncatedInput' },
    { name: 'GZIP with a flipped byte', type: 'GZIP', data: corrupt(gz, 200), code: 'TruncatedInput' },
    {
      name: 'GZIP with a bad checksum',
      type: 'GZIP',
      data: corrupt(gz, gz.length - 6),
      code: 'TruncatedInput',
    },
    {
      name: 'GZIP with trailing garbage',
      type: 'GZIP',
      data: Buffer.concat([gz, Buffer.from('garbage!')]),
      code: 'TruncatedInput',
    },
    { name: 'BZIP2 of plain text', type: 'BZIP2', data: Buffer.from(csv), code: 'InvalidCompressionFormat' },
    { name: 'BZIP2 of gzip data', type: 'BZIP2', data: gz, code: 'InvalidCompressionFormat' },
    { name: 'BZIP2 cut short', type: 'BZIP2', data: bz.subarray(0, bz.length - 30), code: 'TruncatedInput' },
    { name: 'BZIP2 cut after its header', type: 'BZIP2', data: bz.subarray(0, 4), code: 'TruncatedInput' },
    { name: 'BZIP2 with a flipped byte', type: 'BZIP2', data: corrupt(bz, 1000), code: 'TruncatedInput' },
    {
      name: 'BZIP2 with trailing garbage',
      type: 'BZIP2',
      data: Buffer.concat([MULTI_STREAM, Buffer.from('garbage!')]),
      code: 'TruncatedInput',
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      assert.equal(await outcome(drain(decompressed(chunksOf(c.data, 64), c.type))), c.code);
    });
  }

  for (const type of ['GZIP', 'BZIP2'] as const) {
    it(`${type}: an error of the source stream comes through unchanged`, async () => {
      const boom = new Error('disk on fire');
      async function* input() {
        yield (type === 'GZIP' ? gz : THREE_BLOCKS).subarray(0, 10);
        throw boom;
      }
      await assert.rejects(drain(decompressed(input(), type)), (e) => e === boom);
    });
  }
});

describe('decompressed: bombs', () => {
  const gzBomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024));
  const cases = [
    { type: 'GZIP', data: gzBomb, size: 20 * 1024 * 1024 },
    { type: 'BZIP2', data: BOMB, size: BOMB_SIZE },
  ] as const;
  for (const c of cases) {
    it(`${c.type}: maxDecompressedBytes refuses a ${c.data.length}-byte bomb`, async () => {
      const r = drain(decompressed(chunksOf(c.data, 4096), c.type, { maxDecompressedBytes: 1024 * 1024 }));
      assert.equal(await outcome(r), 'InvalidRequest');
    });
    it(`${c.type}: a bomb streams in bounded chunks and stops when the reader stops`, async () => {
      let closed = false;
      async function* input() {
        try {
          yield* chunksOf(c.data, 4096);
        } finally {
          closed = true;
        }
      }
      let seen = 0;
      for await (const chunk of decompressed(input(), c.type)) {
        assert.ok((chunk as Buffer).length <= 64 * 1024);
        seen += (chunk as Buffer).length;
        if (seen >= 1024 * 1024) break;
      }
      assert.ok(seen < c.size);
      // The source closes as the stream pipeline unwinds: poll with a deadline.
      const deadline = Date.now() + 5000;
      while (!closed && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      assert.ok(closed, 'the compressed source was closed');
    });
  }
});
