/**
 * Page decompression with the size the page header declares as a hard cap:
 * a page whose data decompresses to more (a decompression bomb) or less is a
 * ParquetParsingError, and nothing is allocated beyond the declared size,
 * which is itself capped by ParquetLimits.maxPageBytes before this runs.
 *
 * GZIP and BROTLI use node's zlib (native, with maxOutputLength); ZSTD uses
 * a native decoder (node's zlib on Node ≥ 22.15, else zstd-napi) with the
 * pure-JS fzstd as the last resort (zstd.ts); SNAPPY, LZ4 and LZ4_RAW use our own decoders
 * (snappy.ts, lz4.ts), which check every length against the input and the
 * declared output. LZO is not supported (hyparquet-compressors cannot decode
 * it either).
 */
import zlib from 'node:zlib';
import { lz4HadoopDecompress, lz4RawDecompress } from './lz4.js';
import { parquetParsingError, unsupportedCompressionCodec } from './parquet-errors.js';
import { snappyDecompress } from './snappy.js';
import { zstdDecompress } from './zstd.js';

export const SUPPORTED_CODECS: ReadonlySet<string> = new Set([
  'UNCOMPRESSED',
  'SNAPPY',
  'GZIP',
  'BROTLI',
  'ZSTD',
  'LZ4',
  'LZ4_RAW',
]);

/**
 * A buffer that a column's data pages are decompressed into, one after the
 * other, instead of a new one per page: a page's bytes are dropped once its
 * rows are handed on, so the next page can take their place. (Dictionary
 * pages, whose values outlive the page, never use it.)
 */
export class PageBuffer {
  private buf: Uint8Array | undefined;

  /** A buffer of at least `size` bytes; its old contents are gone. */
  get(size: number): Uint8Array {
    if (this.buf === undefined || this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    return this.buf;
  }
}

function inflate(codec: string, input: Uint8Array, size: number, into: PageBuffer | undefined): Uint8Array {
  const maxOutputLength = Math.max(1, size);
  switch (codec) {
    case 'UNCOMPRESSED':
      return input;
    case 'SNAPPY':
      return snappyDecompress(input, size);
    case 'GZIP':
      // zlib reads concatenated gzip members, which Parquet readers must accept.
      return zlib.gunzipSync(input, { maxOutputLength });
    case 'BROTLI':
      return zlib.brotliDecompressSync(input, { maxOutputLength });
    case 'ZSTD':
      return zstdDecompress(input, size, into?.get(size));
    case 'LZ4':
      return lz4HadoopDecompress(input, size);
    case 'LZ4_RAW':
      return lz4RawDecompress(input, size);
    default:
      throw unsupportedCompressionCodec(codec);
  }
}

/** The page's data decompressed to exactly `size` bytes (into `into` where the codec can). */
export function decompressPage(
  codec: string,
  input: Uint8Array,
  size: number,
  into?: PageBuffer,
): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflate(codec, input, size, into);
  } catch (e) {
    if (e instanceof Error && e.name === 'S3Error') throw e;
    throw parquetParsingError(`${codec} page does not decompress`, e);
  }
  if (out.length !== size) {
    throw parquetParsingError(`${codec} page decompressed to ${out.length} bytes, header says ${size}`);
  }
  return out;
}
