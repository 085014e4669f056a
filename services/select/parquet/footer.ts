/**
 * Reads and checks a Parquet footer with bounded reads:
 *   "PAR1" <column chunks…> <FileMetaData (thrift)> <4-byte length> "PAR1"
 * https://parquet.apache.org/docs/file-format/
 * The magic at both ends and the footer length (≤ the file, ≤ maxFooterBytes)
 * are checked before the footer is fetched; its thrift is bounds-checked
 * before the library parses it; then every offset and size the footer gives is
 * checked against the file (see layout.ts) before anything is read from it.
 */
import { parquetMetadata, type FileMetaData, type ParquetParsers } from 'hyparquet';
import type { ParquetLimits } from './limits.js';
import { asParquetError, parquetParsingError } from './parquet-errors.js';
import type { RandomAccessObject } from './random-access.js';
import { ThriftBoundsError, thriftStructEnd } from './thrift-bounds.js';
import { dateFromDays, narrow, timestampFromUnits } from './values.js';

const MAGIC = 0x31524150; // "PAR1" little-endian
/** The tail fetched first: most footers fit, saving a second read. */
const INITIAL_TAIL = 64 * 1024;

/** Statistics are converted to S3 Select values as the footer is parsed. */
const STATS_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => timestampFromUnits(narrow(v), 1),
  timestampFromMicroseconds: (v: bigint) => timestampFromUnits(narrow(v), 1e3),
  timestampFromNanoseconds: (v: bigint) => timestampFromUnits(narrow(v), 1e6),
  dateFromDays: (days: number) => dateFromDays(days),
};

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

export interface ParquetFooter {
  readonly metadata: FileMetaData;
  /** Where the footer starts: column chunks must end before it. */
  readonly footerStart: number;
  /** The file with the tail already fetched served from memory (read once, counted once). */
  readonly file: RandomAccessObject;
}

function withTail(file: RandomAccessObject, tailStart: number, tail: Buffer): RandomAccessObject {
  return {
    size: file.size,
    async read(start, endExclusive) {
      if (endExclusive <= tailStart || endExclusive > file.size || start > endExclusive) {
        return file.read(start, endExclusive);
      }
      if (start >= tailStart) return tail.subarray(start - tailStart, endExclusive - tailStart);
      const head = await file.read(start, tailStart);
      return Buffer.concat([head, tail.subarray(0, endExclusive - tailStart)]);
    },
  };
}

export async function readFooter(file: RandomAccessObject, limits: ParquetLimits): Promise<ParquetFooter> {
  const size = file.size;
  if (size < 12) throw parquetParsingError(`file of ${size} bytes is too small for Parquet`);
  const tailStart = Math.max(0, size - INITIAL_TAIL);
  const tail = await file.read(tailStart, size);
  if (u32(tail, tail.length - 4) !== MAGIC) throw parquetParsingError('no PAR1 magic at the end');
  const head = tailStart === 0 ? tail : await file.read(0, 4);
  if (u32(head, 0) !== MAGIC) throw parquetParsingError('no PAR1 magic at the start');
  const metadataLength = u32(tail, tail.length - 8);
  if (metadataLength > size - 12)
    throw parquetParsingError(`footer length ${metadataLength} exceeds the file`);
  if (metadataLength > limits.maxFooterBytes) {
    throw parquetParsingError(
      `footer length ${metadataLength} exceeds the limit of ${limits.maxFooterBytes}`,
    );
  }
  const footerStart = size - 8 - metadataLength;
  const footer =
    footerStart >= tailStart
      ? tail.subarray(footerStart - tailStart, tail.length - 8)
      : Buffer.concat([await file.read(footerStart, tailStart), tail.subarray(0, tail.length - 8)]);
  try {
    const end = thriftStructEnd(footer, 0, footer.length, limits.maxNesting);
    if (end !== footer.length) throw parquetParsingError('footer length does not match its contents');
    // parquetMetadata wants the whole tail: metadata, length, magic.
    const withTrailer = new Uint8Array(metadataLength + 8);
    withTrailer.set(footer, 0);
    withTrailer.set(tail.subarray(tail.length - 8), metadataLength);
    const metadata = parquetMetadata(withTrailer, { parsers: STATS_PARSERS, geoparquet: false });
    return { metadata, footerStart, file: withTail(file, tailStart, tail) };
  } catch (e) {
    if (e instanceof ThriftBoundsError) throw parquetParsingError(`footer: ${e.message}`, e);
    throw asParquetError(e);
  }
}
