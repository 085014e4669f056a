/**
 * A walk over Zstandard frame and block headers (RFC 8878 §3.1), without
 * decoding, to learn whether every frame declares its decompressed size and
 * those sizes add up to what the page header says. Only then is the fast path
 * of the pure-JS decoder used: given no output buffer it sizes its output from
 * the frame header, and a frame without one would let it grow without bound.
 */

const ZSTD_MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 * 1024;

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/** True when `input` is a sequence of frames whose declared sizes sum to `expected`. */
export function zstdFramesDeclare(input: Uint8Array, expected: number): boolean {
  let p = 0;
  let total = 0;
  const n = input.length;
  while (p < n) {
    if (p + 4 > n) return false;
    const magic = u32(input, p);
    p += 4;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // skippable frame
      if (p + 4 > n) return false;
      p += 4 + u32(input, p);
      continue;
    }
    if (magic !== ZSTD_MAGIC || p >= n) return false;
    const fhd = input[p++]!;
    if (fhd & 0x08) return false; // reserved bit
    const fcf = fhd >> 6;
    const single = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    if (dictBytes > 0) return false; // dictionaries are not used by Parquet
    if (!single) p += 1; // window descriptor
    const fcsBytes = fcf === 0 ? single : 1 << fcf;
    if (fcsBytes === 0 || p + fcsBytes > n) return false;
    let size = 0;
    for (let i = 0; i < fcsBytes; i++) size += input[p + i]! * 2 ** (8 * i);
    if (fcsBytes === 2) size += 256;
    p += fcsBytes;
    total += size;
    if (total > expected) return false;
    for (;;) {
      if (p + 3 > n) return false;
      const h = input[p]! | (input[p + 1]! << 8) | (input[p + 2]! << 16);
      p += 3;
      const last = h & 1;
      const type = (h >> 1) & 3;
      const blockSize = h >>> 3;
      if (type === 3 || blockSize > MAX_BLOCK) return false;
      p += type === 1 ? 1 : blockSize;
      if (p > n) return false;
      if (last) break;
    }
    p += checksum * 4;
  }
  return p === n && total === expected;
}
