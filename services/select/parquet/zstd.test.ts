import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { isS3Error } from '../../../shared/errors.js';
import { decompressPage } from './codecs.js';
import { zstdDecoder, zstdDecompress, zstdDecompressPureJs } from './zstd.js';

const require = createRequire(import.meta.url);
const { compress } = require('zstd-napi') as { compress(b: Uint8Array): Buffer };

/** Raw zstd frames (RFC 8878) with one raw block each, optionally without a declared size. */
function rawFrame(content: Buffer, declare: boolean): Buffer {
  const header = declare ? Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0]) : Buffer.from([]);
  if (declare) header.writeUInt32LE(content.length, 5);
  const start = declare ? header : Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]);
  const block = Buffer.alloc(3);
  block.writeUIntLE((content.length << 3) | 1, 0, 3); // last block, raw
  return Buffer.concat([start, block, content]);
}

/** Text that compresses but not to nothing: numbered lines. */
const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `row ${i * 7919} of S3 Select`).join('\n'));
const DECODERS = [
  { name: 'the native decoder', decode: zstdDecompress },
  { name: 'the pure-JS decoder', decode: zstdDecompressPureJs },
];

describe('ZSTD pages', () => {
  it('uses a native decoder on this Node (node zlib on ≥ 22.15, else zstd-napi)', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const expected = major > 22 || (major === 22 && minor >= 15) ? 'node' : 'zstd-napi';
    assert.equal(zstdDecoder(), expected);
  });

  for (const { name, decode } of DECODERS) {
    describe(name, () => {
      it('decodes a compressed page to its bytes', () => {
        assert.deepEqual(Buffer.from(decode(compress(text), text.length)), text);
      });

      it('decodes concatenated frames', () => {
        const a = Buffer.from('hello ');
        const b = Buffer.from('world');
        const both = Buffer.concat([rawFrame(a, true), rawFrame(b, true), compress(text)]);
        const out = decode(both, a.length + b.length + text.length);
        assert.deepEqual(Buffer.from(out), Buffer.concat([a, b, text]));
      });

      it('never produces more than the declared size (decompression bomb)', () => {
        const bomb = compress(Buffer.alloc(64 * 1024 * 1024));
        assert.ok(bomb.length < 64 * 1024);
        let out: Uint8Array | undefined;
        try {
          out = decode(bomb, 1024);
        } catch {
          // refusing is the usual answer
        }
        assert.ok(out === undefined || out.length <= 1024);
      });

      it('a frame without a declared size larger than the page is refused', () => {
        let out: Uint8Array | undefined;
        try {
          out = decode(rawFrame(Buffer.alloc(100_000, 7), false), 10);
        } catch {
          // expected
        }
        assert.ok(out === undefined || out.length <= 10);
      });
    });
  }

  it('decodes a frame without a declared size', () => {
    const data = Buffer.concat([rawFrame(Buffer.from('hello '), false), compress(text)]);
    assert.deepEqual(
      Buffer.from(decompressPage('ZSTD', data, 6 + text.length)),
      Buffer.from(`hello ${text}`),
    );
  });

  const cases: { name: string; data: () => Uint8Array; size: number }[] = [
    { name: 'a bomb', data: () => compress(Buffer.alloc(8 * 1024 * 1024)), size: 100 },
    { name: 'a short page', data: () => compress(text), size: text.length + 1 },
    { name: 'a truncated frame', data: () => compress(text).subarray(0, 500), size: text.length },
    { name: 'garbage', data: () => Buffer.from('not zstd at all'), size: 100 },
  ];
  for (const c of cases) {
    it(`${c.name} is a ParquetParsingError`, () => {
      assert.throws(
        () => decompressPage('ZSTD', c.data(), c.size),
        (e) => isS3Error(e) && e.code === 'ParquetParsingError',
      );
    });
  }
});
