/**
 * Snappy block decompression (https://github.com/google/snappy/blob/main/format_description.txt),
 * written here with every length checked against the input and the output:
 * the library's decoder reads literal lengths as signed 32-bit integers and
 * can walk backwards through its input for seconds on a corrupt page.
 */
import { parquetParsingError } from './parquet-errors.js';

function fail(reason: string): never {
  throw parquetParsingError(`snappy: ${reason}`);
}

/** Decompresses `input`, which must hold exactly `size` bytes of output. */
export function snappyDecompress(input: Uint8Array, size: number): Uint8Array {
  let pos = 0;
  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) fail('bad length preamble');
    const b = input[pos++]!;
    declared += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (declared !== size) fail(`preamble says ${declared} bytes, page header ${size}`);
  const out = new Uint8Array(size);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = (tag >> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > input.length) fail('literal length runs past the end');
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i]! * 2 ** (8 * i);
        len += 1;
        pos += extra;
      }
      if (len > input.length - pos || len > size - o) fail('literal runs past the end');
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (pos >= input.length) fail('copy runs past the end');
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | input[pos++]!;
    } else if (type === 2) {
      if (pos + 2 > input.length) fail('copy runs past the end');
      len = (tag >> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) fail('copy runs past the end');
      len = (tag >> 2) + 1;
      offset =
        (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o) fail('copy from before the start');
    if (len > size - o) fail('copy runs past the end of the output');
    if (offset >= len) {
      out.copyWithin(o, o - offset, o - offset + len);
    } else {
      for (let i = 0; i < len; i++) out[o + i] = out[o - offset + i]!;
    }
    o += len;
  }
  if (o !== size) fail(`decompressed to ${o} bytes, expected ${size}`);
  return out;
}
