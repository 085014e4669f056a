/**
 * ZSTD page decompression into exactly the size the page header declares,
 * never more (a decompression bomb fails with "destination too small"
 * instead of allocating). Three decoders, the first available wins:
 *
 * 1. node's zlib.zstdDecompressSync (Node ≥ 22.15), with maxOutputLength;
 * 2. zstd-napi (the reference C library through N-API; its install script
 *    builds it from the sources in the npm package with node-gyp once its
 *    prebuilt-binary download fails, as it does here): ZSTD_decompressDCtx
 *    into a buffer of the declared size, which zstd fills without growing
 *    it. An optional dependency: were its build to fail, `npm ci` goes on
 *    and the next decoder is used (zstd.test.ts then fails, so it is seen);
 * 3. fzstd (pure JS, shipped with hyparquet-compressors), ~110 MB/s, several
 *    times slower than the native decoders, kept so that a machine where the
 *    native build failed still reads ZSTD files.
 *
 * zstd-napi is loaded lazily on the first ZSTD page, so importing this
 * module has no side effect and a missing or broken native build only means
 * the next decoder is used.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { decompressZstd as fzstdDecompress } from 'hyparquet-compressors';
import { zstdFramesDeclare } from './zstd-frames.js';

type NodeZstd = (buf: Uint8Array, opts: { maxOutputLength: number }) => Buffer;
const nodeZstd = (zlib as unknown as { zstdDecompressSync?: NodeZstd }).zstdDecompressSync;

/** The part of zstd-napi's binding used here (ZSTD_decompressDCtx). */
interface NapiDCtx {
  decompress(dst: Uint8Array, src: Uint8Array): number;
}
interface NapiBinding {
  DCtx: new () => NapiDCtx;
}

/** undefined: not tried yet; null: unavailable. */
let napiContext: NapiDCtx | null | undefined;

function napi(): NapiDCtx | null {
  if (napiContext === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const binding = require('zstd-napi/binding.js') as NapiBinding;
      // One context, reused: decompression is synchronous, so calls never overlap.
      napiContext = new binding.DCtx();
    } catch {
      napiContext = null;
    }
  }
  return napiContext;
}

export type ZstdDecoder = 'node' | 'zstd-napi' | 'fzstd';

/** Which decoder is in use (for the benchmark's report). */
export function zstdDecoder(): ZstdDecoder {
  if (nodeZstd) return 'node';
  return napi() ? 'zstd-napi' : 'fzstd';
}

/**
 * `input` decompressed; at most `size` bytes are ever produced (the caller
 * checks that exactly `size` were). `into`, when given and large enough,
 * receives the bytes (a buffer reused from page to page; not every decoder
 * can use one).
 */
export function zstdDecompress(input: Uint8Array, size: number, into?: Uint8Array): Uint8Array {
  if (nodeZstd) return nodeZstd(input, { maxOutputLength: Math.max(1, size) });
  const dctx = napi();
  if (dctx) {
    const out = into !== undefined && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size);
    const n = dctx.decompress(out, input);
    return n === size ? out : out.subarray(0, n);
  }
  // Without an output buffer fzstd is several times faster, but only safe when
  // every frame declares its size; otherwise decode into a buffer of `size`.
  if (zstdFramesDeclare(input, size)) return fzstdDecompress(input);
  return fzstdDecompress(input, new Uint8Array(size));
}

/** For tests: the pure-JS decoder, always with the size cap. */
export function zstdDecompressPureJs(input: Uint8Array, size: number): Uint8Array {
  if (zstdFramesDeclare(input, size)) return fzstdDecompress(input);
  return fzstdDecompress(input, new Uint8Array(size));
}
