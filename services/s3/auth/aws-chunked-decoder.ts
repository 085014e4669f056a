/**
 * Decodes an aws-chunked request body as it streams:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 *
 *   hex-size[;chunk-signature=sig] CRLF data CRLF ... 0[;chunk-signature=sig] CRLF
 *   [trailer-name:value CRLF ... [x-amz-trailer-signature:sig CRLF]] CRLF
 *
 * Data passes through without copies; only chunk-header and trailer lines are
 * buffered, and those are bounded (a line over 4 KiB or trailers over 16 KiB
 * is refused), so a malformed body can never make the server hold more than
 * that. With a signer every chunk's signature is checked when the chunk ends
 * (bytes already passed on are then discarded by the store, which commits
 * nothing from a stream that failed).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { authErrors } from './auth-errors.js';
import { EMPTY_SHA256 } from './canonical-request.js';
import type { ChunkSigner } from './chunk-signer.js';

export interface AwsChunkedDecoderOptions {
  /** x-amz-decoded-content-length: the payload must be exactly this long. */
  readonly decodedLength: number;
  /** Verifies chunk-signature (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]); absent for unsigned chunks. */
  readonly signer?: ChunkSigner;
  /** Trailing headers follow the final chunk (the *-TRAILER variants). */
  readonly trailer: boolean;
  /** Trailer names announced in x-amz-trailer (lower case): each must arrive. */
  readonly declaredTrailers?: readonly string[];
}

const enum State {
  ChunkHeader,
  Data,
  DataEnd,
  Trailer,
  FinalLine,
  Done,
}

const MAX_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
const CHUNK_SIZE = /^[0-9a-fA-F]{1,13}$/;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

export class AwsChunkedDecoder extends Transform {
  private state = State.ChunkHeader;
  private readonly opts: AwsChunkedDecoderOptions;
  /** Pieces of a line that spans input chunks. */
  private partial: Buffer[] = [];
  private partialLength = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private decoded = 0;
  private chunkHash: Hash | undefined;
  private chunkSignature = '';
  private trailerBytes = 0;
  private trailerSignature: string | undefined;
  // No prototype: a trailer may be named "constructor" or "__proto__".
  private readonly received: Record<string, string> = Object.create(null) as Record<string, string>;
  private receivedCount = 0;

  constructor(opts: AwsChunkedDecoderOptions) {
    super();
    this.opts = opts;
  }

  /** Trailing headers received so far (lower-case names); complete once the stream has ended. */
  trailers(): Readonly<Record<string, string>> {
    return this.received;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      // A body that ends after a complete last line, without the closing empty line, is accepted.
      if (this.partialLength === 0) {
        if (this.state === State.Trailer) this.endTrailers();
        else if (this.state === State.FinalLine) this.state = State.Done;
      }
      if (this.state !== State.Done || this.decoded !== this.opts.decodedLength)
        throw authErrors.incompleteBody();
      for (const name of this.opts.declaredTrailers ?? []) {
        if (this.received[name] === undefined) throw authErrors.malformedTrailer();
      }
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case State.Data: {
          const n = Math.min(this.remaining, buf.length - i);
          const piece = buf.subarray(i, i + n);
          i += n;
          this.remaining -= n;
          this.decoded += n;
          this.chunkHash?.update(piece);
          this.push(piece);
          if (this.remaining === 0) this.endChunkData();
          break;
        }
        case State.DataEnd: {
          if (buf[i] !== (this.crlfSeen === 0 ? 0x0d : 0x0a))
            throw authErrors.malformedChunk('chunk data is not followed by CRLF');
          i++;
          if (++this.crlfSeen === 2) this.state = State.ChunkHeader;
          break;
        }
        case State.Done:
          // Bytes after the end of the encoding are not part of the payload.
          return;
        default: {
          const nl = buf.indexOf(0x0a, i);
          const end = nl < 0 ? buf.length : nl;
          if (this.partialLength + (end - i) > MAX_LINE)
            throw authErrors.malformedChunk('a chunk header or trailer line is too long');
          if (end > i) {
            this.partial.push(buf.subarray(i, end));
            this.partialLength += end - i;
          }
          if (nl < 0) return;
          i = nl + 1;
          const line = this.takePartial();
          if (!line.endsWith('\r')) throw authErrors.malformedChunk('a line does not end in CRLF');
          this.onLine(line.slice(0, -1));
        }
      }
    }
  }

  private takePartial(): string {
    const parts = this.partial;
    const s = parts.length === 1 ? parts[0]!.toString('latin1') : Buffer.concat(parts).toString('latin1');
    this.partial = [];
    this.partialLength = 0;
    return s;
  }

  private onLine(line: string): void {
    if (this.state === State.ChunkHeader) this.onChunkHeader(line);
    else if (this.state === State.Trailer) this.onTrailerLine(line);
    else if (this.state === State.FinalLine) {
      if (line !== '') throw authErrors.malformedChunk('data follows the final chunk');
      this.state = State.Done;
    }
  }

  private onChunkHeader(line: string): void {
    const semi = line.indexOf(';');
    const sizeText = semi < 0 ? line : line.slice(0, semi);
    if (!CHUNK_SIZE.test(sizeText))
      throw authErrors.malformedChunk(`invalid chunk size "${sizeText.slice(0, 32)}"`);
    const size = parseInt(sizeText, 16);
    if (this.opts.signer) {
      const m = /(?:^|;)chunk-signature=([^;]*)/.exec(semi < 0 ? '' : line.slice(semi + 1));
      if (!m) throw authErrors.malformedChunk('a chunk has no chunk-signature');
      this.chunkSignature = m[1]!;
    }
    if (size > this.opts.decodedLength - this.decoded) throw authErrors.incompleteBody();
    if (size === 0) {
      this.opts.signer?.verifyChunk(EMPTY_SHA256, this.chunkSignature);
      this.state = this.opts.trailer ? State.Trailer : State.FinalLine;
      return;
    }
    this.remaining = size;
    this.chunkHash = this.opts.signer ? createHash('sha256') : undefined;
    this.state = State.Data;
  }

  private endChunkData(): void {
    if (this.opts.signer) this.opts.signer.verifyChunk(this.chunkHash!.digest('hex'), this.chunkSignature);
    this.chunkHash = undefined;
    this.crlfSeen = 0;
    this.state = State.DataEnd;
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      // A blank line before any trailer is tolerated (some encoders put one after "0\r\n").
      if (this.receivedCount > 0 || this.trailerSignature !== undefined) this.endTrailers();
      return;
    }
    this.trailerBytes += line.length;
    if (this.trailerBytes > MAX_TRAILER_BYTES) throw authErrors.malformedTrailer();
    const colon = line.indexOf(':');
    if (colon <= 0) throw authErrors.malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) {
      this.trailerSignature = value;
      return;
    }
    if (this.received[name] === undefined) this.receivedCount++;
    this.received[name] = value;
  }

  private endTrailers(): void {
    this.state = State.Done;
    const signer = this.opts.signer;
    if (!signer || this.receivedCount === 0) return;
    if (this.trailerSignature === undefined) throw authErrors.malformedTrailer();
    let canonical = '';
    for (const name of Object.keys(this.received).sort()) canonical += `${name}:${this.received[name]}\n`;
    signer.verifyTrailer(canonical, this.trailerSignature);
  }
}
