import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { isS3Error } from '../../../shared/errors.js';
import { decompressPage } from './codecs.js';
import { decodeDeltaBinaryPacked, decodeDeltaByteArray } from './delta.js';
import type { ParquetLimits } from './limits.js';
import { openDuck, scan, standIn, type Duck } from './parquet-test-kit.js';
import { decodeHybrid } from './rle.js';
import { ThriftBoundsError, thriftStructEnd } from './thrift-bounds.js';
import { zstdFramesDeclare } from './zstd-frames.js';

/** Runs `fn` and returns the S3 error code it fails with. */
async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    assert.ok(isS3Error(e), `expected an S3Error, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected an error');
}

const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const PAR1 = Buffer.from('PAR1');

describe('Parquet reader: hostile files', () => {
  let duck: Duck;
  let valid: Buffer;
  before(async () => {
    duck = await openDuck();
    ({ data: valid } = await duck.write(
      `SELECT i AS id, repeat('abc', 100) || i AS s, INTERVAL (i) DAY AS iv FROM range(5000) t(i)`,
      'COMPRESSION gzip, ROW_GROUP_SIZE 2048',
    ));
  });
  after(() => duck.close());

  const footerLength = (d: Buffer) => d.readUInt32LE(d.length - 8);
  const cases: {
    name: string;
    data: () => Buffer;
    code: string;
    names?: string[];
    limits?: Partial<ParquetLimits>;
  }[] = [
    { name: 'a CSV file', data: () => Buffer.from('a,b,c\n1,2,3\n'), code: 'ParquetParsingError' },
    { name: 'an empty object', data: () => Buffer.alloc(0), code: 'ParquetParsingError' },
    { name: 'only the magic', data: () => Buffer.concat([PAR1, u32(0), PAR1]), code: 'ParquetParsingError' },
    {
      name: 'no magic at the start',
      data: () => Buffer.concat([Buffer.from('XXXX'), valid.subarray(4)]),
      code: 'ParquetParsingError',
    },
    {
      name: 'truncated in the middle',
      data: () => valid.subarray(0, valid.length >> 1),
      code: 'ParquetParsingError',
    },
    {
      name: 'truncated inside the footer',
      data: () => Buffer.concat([valid.subarray(0, valid.length - 40), valid.subarray(-8)]),
      code: 'ParquetParsingError',
    },
    {
      name: 'a footer length of 4 GB',
      data: () => Buffer.concat([valid.subarray(0, valid.length - 8), u32(0xfffffff0), PAR1]),
      code: 'ParquetParsingError',
    },
    {
      name: 'a footer over the configured limit',
      data: () => valid,
      limits: { maxFooterBytes: 64 },
      code: 'ParquetParsingError',
    },
    {
      name: 'a footer of zeros',
      data: () => {
        const d = Buffer.from(valid);
        d.fill(0, d.length - 8 - footerLength(d), d.length - 8);
        return d;
      },
      code: 'ParquetParsingError',
    },
    {
      name: 'column chunks overwritten with 0xff',
      data: () => {
        const d = Buffer.from(valid);
        d.fill(0xff, 4, d.length - 8 - footerLength(d));
        return d;
      },
      names: ['id', 's'],
      code: 'ParquetParsingError',
    },
    {
      name: 'a page larger than maxPageBytes',
      data: () => valid,
      names: ['s'],
      limits: { maxPageBytes: 1000 },
      code: 'ParquetParsingError',
    },
    {
      name: 'a page with more values than maxValuesPerPage',
      data: () => valid,
      names: ['id'],
      limits: { maxValuesPerPage: 100 },
      code: 'ParquetParsingError',
    },
    {
      name: 'an INTERVAL column that the query reads',
      data: () => valid,
      names: ['iv'],
      code: 'UnsupportedParquetType',
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code}`, async () => {
      const q = standIn(c.names ? { names: c.names } : { all: true });
      assert.equal(await codeOf(() => scan(c.data(), q, c.limits)), c.code);
    });
  }

  it('reads the other columns of a file with an unsupported column', async () => {
    const { rows } = await scan(valid, standIn({ names: ['id'] }));
    assert.equal(rows.length, 5000);
  });
});

describe('Parquet decoding primitives: bounds', () => {
  it('an RLE run longer than the page fills only the values the page declared', () => {
    // header 2 * 2^30 (an RLE run of 2^30), value 7
    const bytes = Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x08, 7]);
    const out = new Int32Array(5);
    decodeHybrid({ bytes, pos: 0, end: bytes.length }, 8, out, 5);
    assert.deepEqual([...out], [7, 7, 7, 7, 7]);
  });

  it('a bit-packed run past the end of the page is an error', async () => {
    const bytes = Uint8Array.from([0x03, 0xff]); // one group of 8 values of 8 bits, 1 byte present
    assert.equal(
      await codeOf(() => decodeHybrid({ bytes, pos: 0, end: 2 }, 8, new Int32Array(8), 8)),
      'ParquetParsingError',
    );
  });

  const deltaCases: { name: string; bytes: number[] }[] = [
    { name: 'block size 0', bytes: [0, 4, 10, 0] },
    { name: 'no miniblocks', bytes: [0x80, 0x01, 0, 10, 0] },
    { name: 'miniblock of 3 values', bytes: [0x80, 0x01, 3, 10, 0] },
    { name: 'block past the end', bytes: [0x80, 0x01, 4, 10, 0, 0, 8, 8, 8, 8] },
  ];
  for (const c of deltaCases) {
    it(`DELTA_BINARY_PACKED with ${c.name} is an error, not a loop`, async () => {
      const bytes = Uint8Array.from(c.bytes);
      assert.equal(
        await codeOf(() => decodeDeltaBinaryPacked({ bytes, pos: 0, end: bytes.length }, 10, false)),
        'ParquetParsingError',
      );
    });
  }

  it('DELTA_BYTE_ARRAY output is capped even when prefixes repeat a long value', async () => {
    // 2 values: prefix lengths [0, 8], suffix lengths [8, 0] (zigzag deltas +8 → 16, -8 → 15), then 8 bytes.
    const lengths = (first: number, deltaZigzag: number) => [
      0x80,
      0x01,
      4,
      2,
      first * 2,
      deltaZigzag,
      0,
      0,
      0,
      0,
    ];
    const bytes = Uint8Array.from([...lengths(0, 16), ...lengths(8, 15), ...Array(8).fill(65)]);
    const cursor = () => ({ bytes, pos: 0, end: bytes.length });
    const values = decodeDeltaByteArray(cursor(), 2, 16).map((v) => Buffer.from(v).toString());
    assert.deepEqual(values, ['AAAAAAAA', 'AAAAAAAA']);
    assert.equal(await codeOf(() => decodeDeltaByteArray(cursor(), 2, 12)), 'ParquetParsingError');
  });

  const thriftCases: { name: string; bytes: number[] }[] = [
    { name: 'a binary longer than the data', bytes: [0x18, 0xff, 0x01, 0x41] },
    { name: 'an 11-byte varint', bytes: [0x16, ...Array(10).fill(0xff), 0x01, 0x00] },
    { name: 'a list claiming 2^28 elements', bytes: [0x19, 0xf5, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00] },
    { name: 'structs nested 100 deep', bytes: [...Array(100).fill(0x1c), ...Array(101).fill(0)] },
    { name: 'a map (not used by Parquet)', bytes: [0x1b, 0x00, 0x00] },
    { name: 'no STOP', bytes: [0x15, 0x02] },
  ];
  for (const c of thriftCases) {
    it(`thrift with ${c.name} is rejected`, () => {
      const bytes = Uint8Array.from(c.bytes);
      assert.throws(() => thriftStructEnd(bytes, 0, bytes.length, 64), ThriftBoundsError);
    });
  }

  it('a gzip page that inflates past its declared size is an error (decompression bomb)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.equal(await codeOf(() => decompressPage('GZIP', bomb, 1024)), 'ParquetParsingError');
  });

  const codecCases: { codec: string; bytes: number[]; size: number }[] = [
    // preamble 10, then a literal whose 4-byte length is 2^32 - 1 (read as -1 by a signed decoder)
    { codec: 'SNAPPY', bytes: [10, 0xfc, 0xff, 0xff, 0xff, 0xff, 1, 2], size: 10 },
    // preamble 10, a 1-byte literal, then a copy of 64 bytes at offset 1 (more than the page holds)
    { codec: 'SNAPPY', bytes: [10, 0x00, 0x41, 0xfe, 0x01, 0x00], size: 10 },
    // a literal of 4 bytes, then a match of 19 + 255 * 4 bytes at offset 1: past the declared 8 bytes
    { codec: 'LZ4_RAW', bytes: [0x4f, 1, 2, 3, 4, 1, 0, 255, 255, 255, 255, 0], size: 8 },
    // a match at offset 9 with only 4 bytes written
    { codec: 'LZ4', bytes: [0x40, 1, 2, 3, 4, 9, 0, 0x10, 5], size: 8 },
  ];
  for (const c of codecCases) {
    it(`a corrupt ${c.codec} page is an error, bounded by its declared size`, async () => {
      assert.equal(
        await codeOf(() => decompressPage(c.codec, Uint8Array.from(c.bytes), c.size)),
        'ParquetParsingError',
      );
    });
  }

  it('an LZO page is ParquetUnsupportedCompressionCodec', async () => {
    assert.equal(
      await codeOf(() => decompressPage('LZO', Uint8Array.from([1, 2, 3]), 3)),
      'ParquetUnsupportedCompressionCodec',
    );
  });

  /** A zstd frame of raw blocks, optionally declaring its size (RFC 8878). */
  function zstdFrame(blocks: Uint8Array[], declared: number | undefined): Uint8Array {
    const header =
      declared === undefined
        ? [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]
        : [0x28, 0xb5, 0x2f, 0xfd, 0xa0, ...u32(declared)];
    const parts: number[] = [...header];
    blocks.forEach((b, i) => {
      const h = (i === blocks.length - 1 ? 1 : 0) | (b.length << 3);
      parts.push(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, ...b);
    });
    return Uint8Array.from(parts);
  }

  it('decodes a zstd frame that declares its size', () => {
    const frame = zstdFrame([Buffer.from('hello'), Buffer.from(' world')], 11);
    assert.ok(zstdFramesDeclare(frame, 11));
    assert.equal(Buffer.from(decompressPage('ZSTD', frame, 11)).toString(), 'hello world');
  });

  it('a zstd frame larger than the page header says is an error', async () => {
    const frame = zstdFrame([Buffer.alloc(1000, 1)], 1000);
    assert.equal(zstdFramesDeclare(frame, 10), false);
    assert.equal(await codeOf(() => decompressPage('ZSTD', frame, 10)), 'ParquetParsingError');
  });

  it('a zstd frame without a declared size decodes into a buffer of the page size only', async () => {
    const frame = zstdFrame([Buffer.alloc(100_000, 1), Buffer.alloc(100_000, 2)], undefined);
    assert.equal(zstdFramesDeclare(frame, 10), false);
    assert.equal(await codeOf(() => decompressPage('ZSTD', frame, 10)), 'ParquetParsingError');
    assert.equal(decompressPage('ZSTD', frame, 200_000).length, 200_000);
  });
});
