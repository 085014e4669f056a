/**
 * Decodes one data or dictionary page of a leaf column into S3 Select values:
 * levels (RLE hybrid), then values by encoding. Data page v1 and v2:
 * https://parquet.apache.org/docs/file-format/data-pages/
 */
import type { PageHeader } from 'hyparquet';
import type { SelectValue } from '../types.js';
import { decompressPage, type PageBuffer } from './codecs.js';
import { decodeDeltaBinaryPacked, decodeDeltaByteArray, decodeDeltaLengthByteArray } from './delta.js';
import type { LeafColumn } from './layout.js';
import type { ParquetLimits } from './limits.js';
import { parquetParsingError, unsupportedParquetType } from './parquet-errors.js';
import { decodePlain, type Values } from './plain.js';
import { decodeHybrid, type ByteCursor } from './rle.js';
import { DictionaryIndexStream } from './rle-stream.js';
import { convertRaw } from './values.js';

export interface DecodedPage {
  /** Number of level entries (values including nulls, and list slots). */
  readonly count: number;
  /** Definition levels, or undefined when every entry is at the maximum. */
  readonly definition: Uint8Array | undefined;
  /** Repetition levels, or undefined for a non-repeated column. */
  readonly repetition: Uint8Array | undefined;
  /** The non-null values, in order; or, with `indices`, the dictionary they index. */
  readonly values: Values;
  /** Dictionary-encoded pages: the index of each non-null value in `values`. */
  readonly indices?: Int32Array;
  /**
   * PLAIN pages decoded lazily: `values` is empty and the values are read
   * from this cursor on demand (a LIMIT may need only a few of them).
   */
  readonly plain?: ByteCursor;
  /**
   * Dictionary pages decoded lazily: `values` is the dictionary and the
   * indices are read from this stream on demand.
   */
  readonly indexStream?: DictionaryIndexStream;
}

interface PageValues {
  readonly values: Values;
  readonly indices?: Int32Array;
  readonly plain?: ByteCursor;
  readonly indexStream?: DictionaryIndexStream;
}

const bitWidth = (max: number) => 32 - Math.clz32(max);

/**
 * Levels of `count` entries; undefined when they are all `max` (no nulls, the
 * common case), found without decoding when the levels are one RLE run.
 */
function levels(
  c: ByteCursor,
  max: number,
  count: number,
  lengthPrefixed: boolean,
  allMaxIsNone = true,
): Uint8Array | undefined {
  let end = c.end;
  if (lengthPrefixed) {
    if (c.pos + 4 > c.end) throw parquetParsingError('levels length runs past the end of the page');
    const len =
      (c.bytes[c.pos]! |
        (c.bytes[c.pos + 1]! << 8) |
        (c.bytes[c.pos + 2]! << 16) |
        (c.bytes[c.pos + 3]! << 24)) >>>
      0;
    c.pos += 4;
    if (len > c.end - c.pos) throw parquetParsingError('levels run past the end of the page');
    end = c.pos + len;
  }
  const sub: ByteCursor = { bytes: c.bytes, pos: c.pos, end };
  if (allMaxIsNone && allAt(sub, max, count)) {
    c.pos = end;
    return undefined;
  }
  const out = new Uint8Array(count);
  if (decodeHybrid(sub, bitWidth(max), out, count) > max)
    throw parquetParsingError('level above the schema maximum');
  c.pos = end;
  return out;
}

/** True when the hybrid data starts with one RLE run of `max` covering `count` entries. */
function allAt(c: ByteCursor, max: number, count: number): boolean {
  const b = c.bytes;
  let p = c.pos;
  let header = 0;
  for (let shift = 0; shift < 35 && p < c.end; shift += 7) {
    const byte = b[p++]!;
    header += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (header % 2 === 1 || Math.floor(header / 2) < count) return false;
      const width = (bitWidth(max) + 7) >> 3;
      if (p + width > c.end) return false;
      let value = 0;
      for (let i = 0; i < width; i++) value += b[p + i]! * 2 ** (8 * i);
      return value === max;
    }
  }
  return false;
}

function fromRawArray(column: LeafColumn, raw: ArrayLike<number | bigint | Uint8Array>): SelectValue[] {
  const out = new Array<SelectValue>(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = convertRaw(column.type, raw[i]!);
  return out;
}

function byteStreamSplit(c: ByteCursor, column: LeafColumn, count: number): Values {
  const t = column.type;
  const width = { FLOAT: 4, DOUBLE: 8, INT32: 4, INT64: 8 }[t.physical as string] ?? t.typeLength;
  if (!width || count * width > c.end - c.pos)
    throw parquetParsingError('BYTE_STREAM_SPLIT runs past the end');
  const joined = new Uint8Array(4 + count * width); // 4 bytes of room for the PLAIN decoder's cursor
  for (let b = 0; b < width; b++) {
    for (let i = 0; i < count; i++) joined[i * width + b] = c.bytes[c.pos + b * count + i]!;
  }
  c.pos += count * width;
  if (t.physical === 'FIXED_LEN_BYTE_ARRAY') {
    const out = new Array<SelectValue>(count);
    for (let i = 0; i < count; i++) out[i] = convertRaw(t, joined.subarray(i * width, (i + 1) * width));
    return out;
  }
  return decodePlain({ bytes: joined, pos: 0, end: count * width }, t, count);
}

function dictionaryIndices(c: ByteCursor, count: number, size: number): Int32Array {
  if (c.pos >= c.end) {
    if (count === 0) return new Int32Array(0);
    throw parquetParsingError('dictionary indices missing');
  }
  const width = c.bytes[c.pos++]!;
  const out = new Int32Array(count);
  // Width 32 may decode to negative int32s; anything ≥ the size is out of range.
  const max = decodeHybrid(c, width, out, count);
  if (count > 0 && (max >= size || (width === 32 && out.some((v) => v < 0)))) {
    throw parquetParsingError('dictionary index out of range');
  }
  return out;
}

function values(
  c: ByteCursor,
  encoding: string | undefined,
  column: LeafColumn,
  count: number,
  dictionary: Values | undefined,
  limits: ParquetLimits,
  lazy: boolean,
): PageValues {
  if (encoding === 'PLAIN' && lazy) return { values: [], plain: c };
  if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
    if (!dictionary) throw parquetParsingError('dictionary-encoded page without a dictionary page');
    if (lazy)
      return { values: dictionary, indexStream: new DictionaryIndexStream(c, count, dictionary.length) };
    const indices = dictionaryIndices(c, count, dictionary.length);
    return { values: dictionary, indices };
  }
  return { values: plainValues(c, encoding, column, count, limits) };
}

function plainValues(
  c: ByteCursor,
  encoding: string | undefined,
  column: LeafColumn,
  count: number,
  limits: ParquetLimits,
): Values {
  const t = column.type;
  switch (encoding) {
    case 'PLAIN':
      return decodePlain(c, t, count);
    case 'RLE': {
      if (t.physical !== 'BOOLEAN') throw unsupportedParquetType(`RLE encoding of ${t.physical}`);
      const bits = levels(c, 1, count, true);
      const out = new Array<SelectValue>(count);
      for (let i = 0; i < count; i++) out[i] = bits ? bits[i] === 1 : true;
      return out;
    }
    case 'BYTE_STREAM_SPLIT':
      return byteStreamSplit(c, column, count);
    case 'DELTA_BINARY_PACKED':
      if (t.physical !== 'INT32' && t.physical !== 'INT64')
        throw parquetParsingError('DELTA_BINARY_PACKED on a non-integer column');
      return fromRawArray(column, decodeDeltaBinaryPacked(c, count, t.physical === 'INT64'));
    case 'DELTA_LENGTH_BYTE_ARRAY':
      return fromRawArray(column, decodeDeltaLengthByteArray(c, count));
    case 'DELTA_BYTE_ARRAY':
      return fromRawArray(column, decodeDeltaByteArray(c, count, limits.maxPageBytes));
    default:
      throw unsupportedParquetType(`${encoding ?? 'unknown'} encoding`);
  }
}

function countPresent(def: Uint8Array | undefined, max: number, count: number): number {
  if (!def) return count;
  let n = 0;
  for (let i = 0; i < count; i++) if (def[i] === max) n++;
  return n;
}

export function decodeDataPage(
  header: PageHeader,
  data: Uint8Array,
  column: LeafColumn,
  codec: string,
  dictionary: Values | undefined,
  limits: ParquetLimits,
  lazy = false,
  into?: PageBuffer,
): DecodedPage {
  const { maxDefinition, maxRepetition } = column;
  if (header.type === 'DATA_PAGE') {
    const h = header.data_page_header!;
    const page = decompressPage(codec, data, header.uncompressed_page_size, into);
    const c: ByteCursor = { bytes: page, pos: 0, end: page.length };
    const count = h.num_values;
    const repetition = maxRepetition > 0 ? levels(c, maxRepetition, count, true, false) : undefined;
    const definition = maxDefinition > 0 ? levels(c, maxDefinition, count, true) : undefined;
    const present = countPresent(definition, maxDefinition, count);
    const vals = values(c, h.encoding, column, present, dictionary, limits, lazy);
    return { count, definition: present === count ? undefined : definition, repetition, ...vals };
  }
  const h = header.data_page_header_v2!;
  const count = h.num_values;
  const levelsEnd = h.repetition_levels_byte_length + h.definition_levels_byte_length;
  const lc: ByteCursor = { bytes: data, pos: 0, end: h.repetition_levels_byte_length };
  const repetition = maxRepetition > 0 ? levels(lc, maxRepetition, count, false, false) : undefined;
  const dc: ByteCursor = { bytes: data, pos: h.repetition_levels_byte_length, end: levelsEnd };
  const definition = maxDefinition > 0 ? levels(dc, maxDefinition, count, false) : undefined;
  const present = countPresent(definition, maxDefinition, count);
  if (present !== count - h.num_nulls)
    throw parquetParsingError('null count differs from the definition levels');
  const body = data.subarray(levelsEnd);
  const size = header.uncompressed_page_size - levelsEnd;
  const page = h.is_compressed === false ? body : decompressPage(codec, body, size, into);
  const c: ByteCursor = { bytes: page, pos: 0, end: page.length };
  const vals = values(c, h.encoding, column, present, dictionary, limits, lazy);
  return { count, definition: present === count ? undefined : definition, repetition, ...vals };
}

export function decodeDictionaryPage(
  header: PageHeader,
  data: Uint8Array,
  column: LeafColumn,
  codec: string,
): Values {
  const h = header.dictionary_page_header!;
  if (h.encoding !== undefined && h.encoding !== 'PLAIN' && h.encoding !== 'PLAIN_DICTIONARY') {
    throw unsupportedParquetType(`${h.encoding} dictionary encoding`);
  }
  const page = decompressPage(codec, data, header.uncompressed_page_size);
  return decodePlain({ bytes: page, pos: 0, end: page.length }, column.type, h.num_values);
}
