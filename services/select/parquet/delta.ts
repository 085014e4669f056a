/**
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY:
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/#delta-encoding-delta_binary_packed--5
 * Written here rather than taken from the library because its decoders loop
 * forever on a zero block size and allocate whatever a prefix length says.
 */
import { parquetParsingError } from './parquet-errors.js';
import { readUleb, type ByteCursor } from './rle.js';

function readUleb64(c: ByteCursor): bigint {
  let value = 0n;
  for (let i = 0, shift = 0n; i < 10; i++, shift += 7n) {
    if (c.pos >= c.end) throw parquetParsingError('varint runs past the end of the page');
    const b = c.bytes[c.pos++]!;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return value;
  }
  throw parquetParsingError('varint too long');
}

const unzigzag = (v: bigint): bigint => (v >> 1n) ^ -(v & 1n);

/** Reads `bitWidth` bits (≤ 64) starting at bit `bitPos` of the miniblock at `base`. */
function readBits(bytes: Uint8Array, base: number, bitPos: number, bitWidth: number): bigint {
  let value = 0n;
  let got = 0;
  while (got < bitWidth) {
    const p = bitPos + got;
    const byte = bytes[base + (p >> 3)]!;
    const off = p & 7;
    const n = Math.min(8 - off, bitWidth - got);
    value |= BigInt((byte >> off) & ((1 << n) - 1)) << BigInt(got);
    got += n;
  }
  return value;
}

/** Decodes `count` integers; 32-bit ones wrap like Parquet's INT32 arithmetic. */
export function decodeDeltaBinaryPacked(
  c: ByteCursor,
  count: number,
  int64: boolean,
): Int32Array | BigInt64Array {
  const blockSize = readUleb(c);
  const miniblocks = readUleb(c);
  const total = readUleb(c);
  let value = unzigzag(readUleb64(c));
  const perMini = blockSize / miniblocks;
  const valid =
    blockSize > 0 && blockSize % 128 === 0 && blockSize <= 1 << 20 && miniblocks > 0 && perMini % 32 === 0;
  if (!valid) throw parquetParsingError('invalid DELTA_BINARY_PACKED header');
  if (total < count) throw parquetParsingError('DELTA_BINARY_PACKED holds fewer values than the page');
  const out = int64 ? new BigInt64Array(count) : new Int32Array(count);
  const bits = int64 ? 64 : 32;
  const store = (i: number, v: bigint) => {
    if (int64) (out as BigInt64Array)[i] = BigInt.asIntN(64, v);
    else (out as Int32Array)[i] = Number(BigInt.asIntN(32, v));
  };
  if (count === 0) return out;
  store(0, value);
  let n = 1;
  while (n < count) {
    const minDelta = unzigzag(readUleb64(c));
    if (miniblocks > c.end - c.pos) throw parquetParsingError('DELTA_BINARY_PACKED block runs past the end');
    const widthsAt = c.pos;
    c.pos += miniblocks;
    for (let m = 0; m < miniblocks && n < count; m++) {
      const width = c.bytes[widthsAt + m]!;
      if (width > bits) throw parquetParsingError('DELTA_BINARY_PACKED bit width too large');
      const miniBytes = (perMini * width) / 8;
      if (miniBytes > c.end - c.pos)
        throw parquetParsingError('DELTA_BINARY_PACKED miniblock runs past the end');
      for (let j = 0; j < perMini && n < count; j++) {
        value = BigInt.asIntN(
          bits,
          value + minDelta + (width ? readBits(c.bytes, c.pos, j * width, width) : 0n),
        );
        store(n++, value);
      }
      c.pos += miniBytes;
    }
  }
  return out;
}

function checkedLengths(c: ByteCursor, count: number): Int32Array {
  const lengths = decodeDeltaBinaryPacked(c, count, false) as Int32Array;
  for (let i = 0; i < count; i++) {
    if (lengths[i]! < 0) throw parquetParsingError('negative byte array length');
  }
  return lengths;
}

/** DELTA_LENGTH_BYTE_ARRAY: the values as views of the page. */
export function decodeDeltaLengthByteArray(c: ByteCursor, count: number): Uint8Array[] {
  const lengths = checkedLengths(c, count);
  const out = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) {
    const len = lengths[i]!;
    if (len > c.end - c.pos) throw parquetParsingError('byte array runs past the end of the page');
    out[i] = c.bytes.subarray(c.pos, c.pos + len);
    c.pos += len;
  }
  return out;
}

/**
 * DELTA_BYTE_ARRAY (incremental encoding): each value shares a prefix with the
 * one before. Shared prefixes make the output larger than the page, so its
 * total size is capped by `maxBytes`.
 */
export function decodeDeltaByteArray(c: ByteCursor, count: number, maxBytes: number): Uint8Array[] {
  const prefixes = checkedLengths(c, count);
  const suffixes = checkedLengths(c, count);
  const out = new Array<Uint8Array>(count);
  let previous = new Uint8Array(0);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[i]!;
    const suffix = suffixes[i]!;
    if (prefix > previous.length)
      throw parquetParsingError('DELTA_BYTE_ARRAY prefix longer than the previous value');
    total += prefix + suffix;
    if (total > maxBytes) throw parquetParsingError('DELTA_BYTE_ARRAY values exceed the page size limit');
    if (suffix > c.end - c.pos) throw parquetParsingError('byte array runs past the end of the page');
    const value = new Uint8Array(prefix + suffix);
    value.set(previous.subarray(0, prefix));
    value.set(c.bytes.subarray(c.pos, c.pos + suffix), prefix);
    c.pos += suffix;
    out[i] = value;
    previous = value;
  }
  return out;
}
