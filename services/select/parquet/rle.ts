/**
 * The RLE / bit-packing hybrid encoding (definition and repetition levels,
 * dictionary indices, booleans):
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/#RLE
 * Every run length is checked against the bytes that remain and against the
 * number of values wanted, so a hostile run header cannot make a loop or an
 * array grow past what the page declared.
 */
import { parquetParsingError } from './parquet-errors.js';

export interface ByteCursor {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
}

export function readUleb(c: ByteCursor): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (c.pos >= c.end) throw parquetParsingError('varint runs past the end of the page');
    const b = c.bytes[c.pos++]!;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
  throw parquetParsingError('varint too long');
}

/**
 * Decodes `count` values of `bitWidth` bits (0..32) into `out[0..count)` and
 * returns the largest (dictionary indices are checked against it).
 * `out` values of width 32 are read as unsigned, then stored as the array stores them.
 */
export function decodeHybrid(
  c: ByteCursor,
  bitWidth: number,
  out: Int32Array | Uint8Array,
  count: number,
): number {
  if (bitWidth < 0 || bitWidth > 32) throw parquetParsingError(`bit width ${bitWidth} out of range`);
  if (count > out.length) throw parquetParsingError('hybrid decode past the output');
  const byteWidth = (bitWidth + 7) >> 3;
  let n = 0;
  let max = 0;
  while (n < count) {
    const header = readUleb(c);
    if ((header & 1) === 1) {
      const groups = Math.floor(header / 2);
      const runBytes = groups * bitWidth; // groups of 8 values take bitWidth bytes each
      const take = Math.min(groups * 8, count - n);
      const needed = Math.ceil((take * bitWidth) / 8);
      if (needed > c.end - c.pos) throw parquetParsingError('bit-packed run runs past the end of the page');
      max = Math.max(max, unpack(c.bytes, c.pos, bitWidth, out, n, take));
      n += take;
      c.pos += Math.min(runBytes, c.end - c.pos);
    } else {
      const run = Math.floor(header / 2);
      if (byteWidth > c.end - c.pos) throw parquetParsingError('RLE run runs past the end of the page');
      let value = 0;
      for (let i = 0; i < byteWidth; i++) value += c.bytes[c.pos + i]! * 2 ** (8 * i);
      c.pos += byteWidth;
      const take = Math.min(run, count - n);
      out.fill(value, n, n + take);
      if (take > 0) max = Math.max(max, value);
      n += take;
    }
  }
  return max;
}

type GroupUnpacker = (
  bytes: Uint8Array,
  pos: number,
  out: Int32Array | Uint8Array,
  at: number,
  groups: number,
) => number;

/**
 * Unpackers of whole groups of 8 values (bitWidth bytes each), generated once
 * per width with every shift and mask a constant: several times faster than a
 * loop with a bit accumulator. The source is built from integers only.
 */
const groupUnpackers = new Map<number, GroupUnpacker>();

function groupUnpacker(w: number): GroupUnpacker {
  let f = groupUnpackers.get(w);
  if (f) return f;
  const lines = ['let max = 0;', `for (let g = 0; g < groups; g++, pos += ${w}, at += 8) {`];
  for (let b = 0; b < w; b++) lines.push(`const b${b} = bytes[pos + ${b}];`);
  for (let v = 0; v < 8; v++) {
    const parts: string[] = [];
    for (let got = 0; got < w;) {
      const bit = v * w + got;
      const n = Math.min(8 - (bit & 7), w - got);
      parts.push(`(((b${bit >> 3} >>> ${bit & 7}) & ${(1 << n) - 1}) << ${got})`);
      got += n;
    }
    lines.push(`const v${v} = ${parts.join(' | ')}; out[at + ${v}] = v${v}; if (v${v} > max) max = v${v};`);
  }
  lines.push('}', 'return max;');
  f = new Function('bytes', 'pos', 'out', 'at', 'groups', lines.join('\n')) as GroupUnpacker;
  groupUnpackers.set(w, f);
  return f;
}

/** Unpacks `take` values of a bit-packed run starting at a group boundary; returns the largest. */
export function unpack(
  bytes: Uint8Array,
  pos: number,
  bitWidth: number,
  out: Int32Array | Uint8Array,
  at: number,
  take: number,
): number {
  if (bitWidth === 0) {
    out.fill(0, at, at + take);
    return 0;
  }
  if (bitWidth <= 24) {
    const groups = take >> 3;
    let max = groups > 0 ? groupUnpacker(bitWidth)(bytes, pos, out, at, groups) : 0;
    pos += groups * bitWidth;
    const mask = (1 << bitWidth) - 1;
    let acc = 0;
    let bits = 0;
    for (let i = groups * 8; i < take; i++) {
      while (bits < bitWidth) {
        acc |= bytes[pos++]! << bits;
        bits += 8;
      }
      const v = acc & mask;
      out[at + i] = v;
      if (v > max) max = v;
      acc >>>= bitWidth;
      bits -= bitWidth;
    }
    return max;
  }
  let max = 0;
  // Wider values would overflow a 32-bit accumulator: read each bit by arithmetic.
  let bitPos = 0;
  for (let i = 0; i < take; i++) {
    let value = 0;
    for (let b = 0; b < bitWidth; b++, bitPos++) {
      if ((bytes[pos + (bitPos >> 3)]! >> (bitPos & 7)) & 1) value += 2 ** b;
    }
    out[at + i] = value;
    if (value > max) max = value;
  }
  return max;
}
