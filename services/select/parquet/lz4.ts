/**
 * LZ4 block decompression (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md)
 * with every length checked against the input and the output, for LZ4_RAW
 * pages and for the deprecated LZ4 codec, which Hadoop writers frame as
 * (4-byte big-endian decompressed size, 4-byte compressed size, block)*.
 */
import { parquetParsingError } from './parquet-errors.js';

function fail(reason: string): never {
  throw parquetParsingError(`lz4: ${reason}`);
}

/** Decodes one block from input[from, to) into out at `at`; returns the bytes written. */
function block(input: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  let i = from;
  let o = at;
  while (i < to) {
    const token = input[i++]!;
    let literals = token >> 4;
    if (literals === 15) {
      for (;;) {
        if (i >= to) fail('literal length runs past the end');
        const b = input[i++]!;
        literals += b;
        if (b !== 255) break;
      }
    }
    if (literals > to - i || literals > out.length - o) fail('literals run past the end');
    out.set(input.subarray(i, i + literals), o);
    i += literals;
    o += literals;
    if (i >= to) break; // the last sequence has literals only
    if (i + 2 > to) fail('match offset runs past the end');
    const offset = input[i]! | (input[i + 1]! << 8);
    i += 2;
    if (offset === 0 || offset > o - at) fail('match from before the start');
    let len = (token & 15) + 4;
    if ((token & 15) === 15) {
      for (;;) {
        if (i >= to) fail('match length runs past the end');
        const b = input[i++]!;
        len += b;
        if (b !== 255) break;
      }
    }
    if (len > out.length - o) fail('match runs past the end of the output');
    if (offset >= len) out.copyWithin(o, o - offset, o - offset + len);
    else for (let k = 0; k < len; k++) out[o + k] = out[o - offset + k]!;
    o += len;
  }
  return o - at;
}

export function lz4RawDecompress(input: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  if (block(input, 0, input.length, out, 0) !== size) fail('block size differs from the page header');
  return out;
}

function hadoopFrames(input: Uint8Array, size: number): Uint8Array | undefined {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < input.length) {
    if (i + 8 > input.length) return undefined;
    const raw = ((input[i]! << 24) | (input[i + 1]! << 16) | (input[i + 2]! << 8) | input[i + 3]!) >>> 0;
    const packed =
      ((input[i + 4]! << 24) | (input[i + 5]! << 16) | (input[i + 6]! << 8) | input[i + 7]!) >>> 0;
    i += 8;
    if (packed > input.length - i || raw > size - o) return undefined;
    try {
      if (block(input, i, i + packed, out, o) !== raw) return undefined;
    } catch {
      return undefined;
    }
    i += packed;
    o += raw;
  }
  return o === size ? out : undefined;
}

/** The deprecated LZ4 codec: Hadoop framing if the data parses as such, else a raw block. */
export function lz4HadoopDecompress(input: Uint8Array, size: number): Uint8Array {
  return hadoopFrames(input, size) ?? lz4RawDecompress(input, size);
}
