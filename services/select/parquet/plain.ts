/**
 * PLAIN encoding (data pages and dictionary pages), decoded straight into
 * S3 Select values for the common kinds and through convertRaw for the rest:
 * https://parquet.apache.org/docs/file-format/data-pages/encodings/#plain-plain--0
 */
import type { SelectValue } from '../types.js';
import type { LeafType } from './leaf-type.js';
import { parquetParsingError, unsupportedParquetType } from './parquet-errors.js';
import type { ByteCursor } from './rle.js';
import {
  convertRaw,
  dateFromDays,
  decimal,
  int64FromHalves,
  timestampFromInt96,
  timestampFromUnits,
  uint64FromHalves,
} from './values.js';

interface Utf8Slicer {
  utf8Slice(start: number, end: number): string;
}

const WIDTH: Record<string, number> = { INT32: 4, FLOAT: 4, INT64: 8, DOUBLE: 8, INT96: 12 };

/** Kinds decoded into a typed array of their own (never into `out`). */
const TYPED_KINDS: ReadonlySet<string> = new Set(['int32', 'uint32', 'float', 'double', 'int64']);

function need(c: ByteCursor, bytes: number): void {
  if (bytes > c.end - c.pos) throw parquetParsingError('PLAIN values run past the end of the page');
}

/**
 * Decoded values: a JS array, or for numbers without nulls a typed array
 * (reading one gives a number, and it takes one copy instead of a loop).
 */
export type Values = ArrayLike<SelectValue>;

/**
 * Room that a column's PLAIN numbers are decoded (or copied, to align them)
 * into, slice after slice, instead of a new ArrayBuffer per slice: a slice's
 * values are handed on before the next slice of the column is decoded.
 */
export class SliceRoom {
  private buf = new ArrayBuffer(0);

  /** At least `bytes` bytes; what an earlier call returned is overwritten. */
  get(bytes: number): ArrayBuffer {
    if (this.buf.byteLength < bytes) this.buf = new ArrayBuffer(Math.max(bytes, 64 * 1024));
    return this.buf;
  }
}

/** `count` little-endian elements at byte `p`, copied (into `room` when given) if `p` is not aligned. */
function typed<T>(
  bytes: Uint8Array,
  p: number,
  count: number,
  width: number,
  make: (b: ArrayBuffer, o: number, n: number) => T,
  room: SliceRoom | undefined,
): T {
  const at = bytes.byteOffset + p;
  if (at % width === 0) return make(bytes.buffer as ArrayBuffer, at, count);
  if (room !== undefined) {
    const buf = room.get(count * width);
    new Uint8Array(buf, 0, count * width).set(bytes.subarray(p, p + count * width));
    return make(buf, 0, count);
  }
  // Uint8Array's slice copies (a Buffer's would not).
  const copy = Uint8Array.prototype.slice.call(bytes, p, p + count * width);
  return make(copy.buffer as ArrayBuffer, 0, count);
}

/**
 * INT64 values as a Float64Array when every one is within ±2^53 (exact as
 * doubles, the usual case), else as numbers and bigints.
 */
function int64s(bytes: Uint8Array, dv: DataView, p: number, count: number, room?: SliceRoom): Values {
  const out = room !== undefined ? new Float64Array(room.get(count * 8), 0, count) : new Float64Array(count);
  for (let i = 0; i < count; i++, p += 8) {
    const v = int64FromHalves(dv.getInt32(p, true), dv.getInt32(p + 4, true));
    if (typeof v !== 'number') {
      const mixed: SelectValue[] = Array.from(out.subarray(0, i));
      for (let j = i; j < count; j++, p += 8)
        mixed.push(int64FromHalves(dv.getInt32(p, true), dv.getInt32(p + 4, true)));
      return mixed;
    }
    out[i] = v;
  }
  return out;
}

/** `count` PLAIN values; numbers may be decoded into `room` (see SliceRoom). */
export function decodePlain(c: ByteCursor, leaf: LeafType, count: number, room?: SliceRoom): Values {
  if (leaf.kind === 'unsupported') throw unsupportedParquetType(leaf.unsupported ?? leaf.physical);
  // Typed arrays need no array of `count` slots (64 KiB of garbage per 8192-row slice).
  const out: SelectValue[] = TYPED_KINDS.has(leaf.kind) ? [] : new Array<SelectValue>(count);
  const { bytes } = c;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = c.pos;
  switch (leaf.physical) {
    case 'BOOLEAN':
      need(c, Math.ceil(count / 8));
      for (let i = 0; i < count; i++) out[i] = ((bytes[p + (i >> 3)]! >> (i & 7)) & 1) === 1;
      c.pos += Math.ceil(count / 8);
      return out;
    case 'BYTE_ARRAY':
      return decodeByteArrays(c, leaf, count, out);
    case 'FIXED_LEN_BYTE_ARRAY': {
      const w = leaf.typeLength;
      if (w <= 0) throw parquetParsingError('FIXED_LEN_BYTE_ARRAY without a length');
      need(c, count * w);
      for (let i = 0; i < count; i++, p += w) out[i] = convertRaw(leaf, bytes.subarray(p, p + w));
      c.pos = p;
      return out;
    }
  }
  const width = WIDTH[leaf.physical]!;
  need(c, count * width);
  c.pos += count * width;
  switch (leaf.kind) {
    case 'int32':
      return typed(bytes, p, count, 4, (b, o, n) => new Int32Array(b, o, n), room);
    case 'uint32':
      return typed(bytes, p, count, 4, (b, o, n) => new Uint32Array(b, o, n), room);
    case 'date':
      for (let i = 0; i < count; i++, p += 4) out[i] = dateFromDays(dv.getInt32(p, true));
      return out;
    case 'float':
      return typed(bytes, p, count, 4, (b, o, n) => new Float32Array(b, o, n), room);
    case 'double':
      return typed(bytes, p, count, 8, (b, o, n) => new Float64Array(b, o, n), room);
    case 'int64':
      return int64s(bytes, dv, p, count, room);
    case 'uint64':
      for (let i = 0; i < count; i++, p += 8)
        out[i] = uint64FromHalves(dv.getInt32(p, true), dv.getInt32(p + 4, true));
      return out;
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'timestamp-nanos': {
      const per = leaf.kind === 'timestamp-millis' ? 1 : leaf.kind === 'timestamp-micros' ? 1e3 : 1e6;
      for (let i = 0; i < count; i++, p += 8) {
        out[i] = timestampFromUnits(int64FromHalves(dv.getInt32(p, true), dv.getInt32(p + 4, true)), per);
      }
      return out;
    }
    case 'decimal':
      for (let i = 0; i < count; i++, p += width) {
        const v =
          width === 4
            ? dv.getInt32(p, true)
            : int64FromHalves(dv.getInt32(p, true), dv.getInt32(p + 4, true));
        out[i] = decimal(v, leaf.scale);
      }
      return out;
    case 'int96':
      for (let i = 0; i < count; i++, p += 12) out[i] = timestampFromInt96(bytes, p);
      return out;
    default:
      throw unsupportedParquetType(`${leaf.kind} stored as ${leaf.physical}`);
  }
}

/** BYTE_ARRAY: a 4-byte little-endian length before each value. */
function decodeByteArrays(c: ByteCursor, leaf: LeafType, count: number, out: SelectValue[]): SelectValue[] {
  const { bytes, end } = c;
  let p = c.pos;
  if (leaf.kind === 'string') {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as Utf8Slicer;
    for (let i = 0; i < count; i++) {
      if (p + 4 > end) throw parquetParsingError('BYTE_ARRAY length runs past the end of the page');
      const len = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
      p += 4;
      if (len > end - p) throw parquetParsingError('BYTE_ARRAY value runs past the end of the page');
      out[i] = text.utf8Slice(p, p + len);
      p += len;
    }
  } else {
    for (let i = 0; i < count; i++) {
      if (p + 4 > end) throw parquetParsingError('BYTE_ARRAY length runs past the end of the page');
      const len = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
      p += 4;
      if (len > end - p) throw parquetParsingError('BYTE_ARRAY value runs past the end of the page');
      out[i] = convertRaw(leaf, bytes.subarray(p, p + len));
      p += len;
    }
  }
  c.pos = p;
  return out;
}
