/**
 * BZIP2 decompression on unbzip2-stream's block decoder (lib/bzip2.js), with
 * our own driver instead of the package's `through` stream, because that
 * stream (1) collects each block's output as a JS array of numbers (8 bytes a
 * byte: a 900 kB block of a bzip2 bomb expands to ~45 MB, i.e. ~360 MB of
 * array) and (2) decodes every block it has input for in one synchronous
 * burst with no backpressure. Here a block's output goes into 64 KB Buffers
 * and the next block is decoded only when the reader asks for more, so memory
 * stays at one block's output however large the object expands.
 * Concatenated streams (pbzip2 output) are read one after the other.
 */
import { createRequire } from 'node:module';
import { S3Error } from '../../../shared/errors.js';

interface BitReader {
  (n: number | null): number;
  bytesRead: number;
}

interface Bzip2Lib {
  /** Reads "BZh" + level; returns the block size in units of 100 kB. */
  header(bits: BitReader): number;
  /** Decodes one block; returns the running stream CRC, or null at the end-of-stream marker. */
  decompress(
    bits: BitReader,
    out: (byte: number) => void,
    buf: Int32Array,
    bufsize: number,
    streamCRC: number,
  ): number | null;
}

const require = createRequire(import.meta.url);
const bzip2 = require('unbzip2-stream/lib/bzip2.js') as Bzip2Lib;
const bitIterator = require('unbzip2-stream/lib/bit_iterator.js') as (next: () => Buffer) => BitReader;

const OUT_CHUNK = 64 * 1024;
/** Compressed bytes needed before decoding a block (as the package's driver): a block never spans more. */
const lookahead = (blockSize: number) => 25_000 + 100_000 * blockSize;

class OutOfInput extends Error {}

export async function* bunzip2(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let bits: BitReader | undefined;
  const available = () => queued - (bits?.bytesRead ?? 0);
  const fill = async (n: number) => {
    while (!ended && available() < n) {
      const r = await it.next();
      if (r.done) ended = true;
      else if (r.value.length > 0) {
        queue.push(r.value);
        queued += r.value.length;
      }
    }
  };
  const nextBuffer = () => {
    const b = queue.shift();
    if (b === undefined) throw new OutOfInput('bzip2 stream ended early');
    return b;
  };

  try {
    let blockSize = 0;
    let streamCRC = 0;
    let started = false;
    let work = new Int32Array(0);
    for (;;) {
      if (blockSize === 0) {
        await fill(4);
        if (available() === 0) return; // end of input between streams (or empty input)
        bits ??= bitIterator(nextBuffer);
        try {
          blockSize = bzip2.header(bits);
        } catch (e) {
          throw new S3Error(started ? 'TruncatedInput' : 'InvalidCompressionFormat', undefined, { cause: e });
        }
        started = true;
        streamCRC = 0;
        if (work.length !== 100_000 * blockSize) work = new Int32Array(100_000 * blockSize);
        continue;
      }
      await fill(lookahead(blockSize));
      const chunks: Buffer[] = [];
      let cur = Buffer.allocUnsafe(OUT_CHUNK);
      let n = 0;
      const emit = (byte: number) => {
        if (n === OUT_CHUNK) {
          chunks.push(cur);
          cur = Buffer.allocUnsafe(OUT_CHUNK);
          n = 0;
        }
        cur[n++] = byte;
      };
      let crc: number | null;
      try {
        crc = bzip2.decompress(bits!, emit, work, work.length, streamCRC);
      } catch (e) {
        throw new S3Error('TruncatedInput', undefined, { cause: e });
      }
      if (n > 0) chunks.push(cur.subarray(0, n));
      for (const c of chunks) yield c;
      if (crc === null) blockSize = 0;
      else streamCRC = crc;
    }
  } finally {
    await it.return?.();
  }
}
