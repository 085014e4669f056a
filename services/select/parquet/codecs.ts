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

function inflate(codec: string, input: Uint8Array, size: number): Uint8Array {
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
      return zstdDecompress(input, size);
    case 'LZ4':
      return lz4HadoopDecompress(input, size);
    case 'LZ4_RAW':
      return lz4RawDecompress(input, size);
    default:
      throw unsupportedCompressionCodec(codec);
  }
}

/** The page's data decompressed to exactly `size` bytes. */
export function decompressPage(codec: string, input: Uint8Array, size: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflate(codec, input, size);
  } catch (e) {
    if (e instanceof Error && e.name === 'S3Error') throw e;
    throw parquetParsingError(`${codec} page does not decompress`, e);
  }
  if (out.length !== size) {
    throw parquetParsingError(`${codec} page decompressed to ${out.length} bytes, header says ${size}`);
  }
  return out;
}
