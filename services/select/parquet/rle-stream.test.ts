import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../../shared/errors.js';
import { decodeHybrid } from './rle.js';
import { DictionaryIndexStream, HybridStream } from './rle-stream.js';
import { mulberry32 } from '../../../test/helpers/seeded-random.js';

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

/**
 * Values written in the RLE / bit-packing hybrid, as runs of each kind in
 * turn (the spec's layout, written independently of the decoders):
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/#RLE
 */
function encode(values: readonly number[], width: number, rand: () => number): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < values.length) {
    if (rand() < 0.4) {
      let run = 1;
      while (i + run < values.length && values[i + run] === values[i] && run < 300) run++;
      out.push(...uleb(run * 2));
      for (let b = 0; b < (width + 7) >> 3; b++) out.push(Math.floor(values[i]! / 2 ** (8 * b)) & 0xff);
      i += run;
    } else {
      const groups = 1 + Math.floor(rand() * 5);
      out.push(...uleb(groups * 2 + 1));
      const bits: number[] = [];
      for (let k = 0; k < groups * 8; k++) {
        const v = values[i + k] ?? 0;
        for (let b = 0; b < width; b++) bits.push(Math.floor(v / 2 ** b) & 1);
      }
      for (let k = 0; k < bits.length; k += 8) {
        let byte = 0;
        for (let b = 0; b < 8; b++) byte |= (bits[k + b] ?? 0) << b;
        out.push(byte);
      }
      i += groups * 8;
    }
  }
  return Uint8Array.from(out);
}

describe('HybridStream: the hybrid decoded a few values at a time', () => {
  for (const width of [0, 1, 3, 7, 8, 13, 24, 31]) {
    it(`bit width ${width}: any read sizes give what one whole decode gives`, () => {
      const rand = mulberry32(width + 1);
      const count = 3000;
      const max = 2 ** width;
      const values = Array.from({ length: count }, () => (rand() < 0.3 ? 5 % max : Math.floor(rand() * max)));
      const bytes = encode(values, width, rand);
      const whole = new Int32Array(count);
      decodeHybrid({ bytes, pos: 0, end: bytes.length }, width, whole, count);
      assert.deepEqual(Array.from(whole), values);
      for (let trial = 0; trial < 5; trial++) {
        const stream = new HybridStream({ bytes, pos: 0, end: bytes.length }, width);
        const got: number[] = [];
        while (got.length < count) {
          const n = Math.min(count - got.length, 1 + Math.floor(rand() * (trial === 0 ? 9 : 700)));
          const out = new Int32Array(n);
          const m = stream.read(out, n);
          assert.equal(m, Math.max(0, ...out));
          got.push(...out);
        }
        assert.deepEqual(got, values);
      }
    });
  }

  it('data cut short fails as the whole decode fails: a ParquetParsingError, never a hang', () => {
    const rand = mulberry32(99);
    const values = Array.from({ length: 500 }, () => Math.floor(rand() * 100));
    const bytes = encode(values, 7, rand);
    const outcome = (f: () => number[]) => {
      try {
        return f();
      } catch (e) {
        assert.ok(isS3Error(e) && e.code === 'ParquetParsingError', String(e));
        return 'ParquetParsingError';
      }
    };
    for (let cut = 0; cut <= bytes.length; cut++) {
      const whole = outcome(() => {
        const out = new Int32Array(500);
        decodeHybrid({ bytes, pos: 0, end: cut }, 7, out, 500);
        return Array.from(out);
      });
      const streamed = outcome(() => {
        const stream = new HybridStream({ bytes, pos: 0, end: cut }, 7);
        const got: number[] = [];
        for (let i = 0; i < 50; i++) {
          const out = new Int32Array(10);
          stream.read(out, 10);
          got.push(...out);
        }
        return got;
      });
      assert.deepEqual(streamed, whole, `cut at ${cut}`);
    }
  });

  it('dictionary indices past the dictionary are a ParquetParsingError', () => {
    const rand = mulberry32(5);
    const indices = Array.from({ length: 100 }, (_, i) => (i === 77 ? 40 : i % 10));
    const bytes = Uint8Array.from([6, ...encode(indices, 6, rand)]);
    const ok = new DictionaryIndexStream({ bytes, pos: 0, end: bytes.length }, 100, 41);
    const out = new Int32Array(100);
    ok.read(out, 100);
    assert.deepEqual(Array.from(out), indices);
    const short = new DictionaryIndexStream({ bytes, pos: 0, end: bytes.length }, 100, 40);
    short.read(new Int32Array(70), 70);
    assert.throws(
      () => short.read(new Int32Array(30), 30),
      (e) => isS3Error(e) && e.code === 'ParquetParsingError',
    );
  });
});
