/**
 * The body a handler reads, by payload mode: the request itself for
 * UNSIGNED-PAYLOAD (no extra stream layer on the hot path), a SHA-256
 * verifier for a signed single-chunk payload, an aws-chunked decoder for the
 * STREAMING-* modes.
 *
 * The request is piped into a verifier or decoder only when the handler first
 * reads the body. A handler that fails before reading leaves the request
 * unconsumed, so the server (and node) can drain it and answer the error.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { markChunksDisposable } from '../../../shared/chunk-gc.js';
import { authErrors } from './auth-errors.js';
import { AwsChunkedDecoder } from './aws-chunked-decoder.js';
import { EMPTY_SHA256 } from './canonical-request.js';
import { ChunkSigner, type ChunkSigningContext } from './chunk-signer.js';
import { PayloadVerifier } from './payload-verifier.js';
import type { PayloadMode } from './payload-mode.js';
import type { AuthResult } from './types.js';

const NO_TRAILERS: Readonly<Record<string, string>> = Object.freeze({});
const noTrailers = (): Readonly<Record<string, string>> => NO_TRAILERS;

export type RequestBody = Omit<AuthResult, 'user'>;

function headerText(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Content-Length as a number; undefined when absent or not a plain decimal. */
export function contentLengthOf(req: IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  return v !== undefined && /^\d{1,16}$/.test(v) ? Number(v) : undefined;
}

/** True when the request carries no body at all (Content-Length: 0, or neither it nor Transfer-Encoding). */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined);
}

/** Pipes `source` into `t` on the first read of `t`; a request that closes early fails `t` with IncompleteBody. */
export function pipeOnFirstRead<T extends Transform>(source: IncomingMessage, t: T): T {
  const read = t._read;
  t._read = function (this: T, size: number): void {
    t._read = read;
    source.on('close', () => {
      if (!source.complete && !t.destroyed) t.destroy(authErrors.incompleteBody());
    });
    source.on('error', () => t.destroy(authErrors.incompleteBody()));
    t.on('close', () => {
      // The consumer gave up (an error in the store, a decoder error): let the rest of the request drain.
      if (!source.readableEnded) {
        source.unpipe(t);
        source.resume();
      }
    });
    source.pipe(t);
    read.call(this, size);
  };
  return t;
}

/** Trailer names announced in x-amz-trailer, lower case. */
function declaredTrailers(req: IncomingMessage): string[] {
  const v = headerText(req, 'x-amz-trailer');
  if (v === undefined) return [];
  return v
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** The request as it arrived, unchecked (UNSIGNED-PAYLOAD, or a route that authenticates itself). */
export function plainBody(req: IncomingMessage): RequestBody {
  // node:http's chunks are buffers of their own: the store may release each once copied.
  return { body: markChunksDisposable(req), contentLength: contentLengthOf(req), trailers: noTrailers };
}

export function requestBody(
  req: IncomingMessage,
  mode: PayloadMode,
  chunked: ChunkSigningContext,
): RequestBody {
  switch (mode.kind) {
    case 'unsigned':
      return plainBody(req);
    case 'sha256': {
      if (hasNoBody(req)) {
        if (mode.hash !== EMPTY_SHA256) throw authErrors.contentSha256Mismatch(mode.hash, EMPTY_SHA256);
        return { body: req, contentLength: 0, trailers: noTrailers };
      }
      return {
        // The verifier passes the request's own chunks on unchanged.
        body: markChunksDisposable(pipeOnFirstRead(req, new PayloadVerifier(mode.hash))),
        contentLength: contentLengthOf(req),
        trailers: noTrailers,
      };
    }
    default: {
      const decodedText = headerText(req, 'x-amz-decoded-content-length');
      if (decodedText === undefined || !/^\d{1,16}$/.test(decodedText))
        throw authErrors.missingDecodedLength();
      const decodedLength = Number(decodedText);
      const decoder = new AwsChunkedDecoder({
        decodedLength,
        trailer: mode.kind === 'unsigned-chunks-trailer' || mode.trailer,
        signer: mode.kind === 'signed-chunks' ? new ChunkSigner(chunked) : undefined,
        declaredTrailers: declaredTrailers(req),
      });
      return {
        body: pipeOnFirstRead(req, decoder),
        contentLength: decodedLength,
        trailers: () => decoder.trailers(),
      };
    }
  }
}
