/**
 * CompressionType GZIP and BZIP2 for CSV and JSON input, streaming: memory
 * stays bounded however far the data expands (a gzip bomb is read a window
 * at a time, at the pace of the reader), and an optional cap on the total
 * decompressed bytes lets a server refuse an object that expands too far.
 *
 * Errors as S3 reports them: input that is not in the format at all →
 * InvalidCompressionFormat; a stream that is corrupt or cut short after it
 * started → TruncatedInput ("Object decompression failed…").
 */
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { errors, isS3Error, S3Error } from '../../../shared/errors.js';
import { bunzip2 } from './bzip2-stream.js';

export type CompressionType = 'NONE' | 'GZIP' | 'BZIP2';

export interface DecompressLimits {
  /** Refuse once the decompressed bytes pass this (default: unlimited). */
  readonly maxDecompressedBytes?: number;
}

/** `input` decompressed; NONE passes it through. */
export function decompressed(
  input: AsyncIterable<Buffer>,
  type: CompressionType,
  limits: DecompressLimits = {},
): Readable {
  // highWaterMark 1: read ahead of the reader by one chunk at most.
  if (type === 'NONE') return input instanceof Readable ? input : Readable.from(input, { highWaterMark: 1 });
  const source = type === 'GZIP' ? gunzip(input) : bunzip2(input);
  return Readable.from(capped(source, limits.maxDecompressedBytes ?? Infinity), { highWaterMark: 1 });
}

async function* capped(source: AsyncGenerator<Buffer>, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw decompressedTooLarge(max);
    yield chunk;
  }
}

export function decompressedTooLarge(max: number) {
  return errors.make(
    'InvalidRequest',
    `The decompressed object is larger than this server's limit of ${max} bytes.`,
  );
}

/** Gunzip, including multi-member files (zlib continues into the next member). */
async function* gunzip(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let inBytes = 0;
  let outBytes = 0;
  const counted = (async function* () {
    for await (const chunk of input) {
      inBytes += chunk.length;
      yield chunk;
    }
  })();
  const gz = zlib.createGunzip({ chunkSize: 64 * 1024 });
  pipeline(counted, gz, () => {
    // Errors surface through the iteration of `gz` below.
  });
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) {
      outBytes += chunk.length;
      yield chunk;
    }
  } catch (e) {
    if (isS3Error(e) || !isZlibError(e)) throw e;
    if (inBytes === 0) return; // an empty object decompresses to nothing
    if (outBytes === 0 && e.code === 'Z_DATA_ERROR' && /header/.test(e.message)) {
      throw new S3Error('InvalidCompressionFormat', undefined, { cause: e });
    }
    throw new S3Error('TruncatedInput', undefined, { cause: e });
  } finally {
    gz.destroy();
  }
}

function isZlibError(e: unknown): e is Error & { code: string } {
  const code: unknown = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}
