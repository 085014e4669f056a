/**
 * The signatures of an aws-chunked body: each chunk is signed over the
 * previous signature (the first over the seed signature of the request), and
 * the trailing headers over the signature of the final, empty chunk.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 *
 *   "AWS4-HMAC-SHA256-PAYLOAD" \n timestamp \n scope \n previous \n sha256("") \n sha256(chunk)
 *   "AWS4-HMAC-SHA256-TRAILER" \n timestamp \n scope \n previous \n sha256(trailing headers)
 */
import { authErrors } from './auth-errors.js';
import { EMPTY_SHA256, sha256Hex } from './canonical-request.js';
import { signaturesEqual, signString, type SigningKey } from './signing-key.js';

export interface ChunkSigningContext {
  readonly signingKey: SigningKey;
  readonly amzDate: string;
  readonly scope: string;
  readonly accessKey: string;
  /** The signature of the request (Authorization header) that seeds the chain. */
  readonly seedSignature: string;
}

export class ChunkSigner {
  private previous: string;

  constructor(private readonly ctx: ChunkSigningContext) {
    this.previous = ctx.seedSignature.toLowerCase();
  }

  /** The string to sign of the next chunk, whose data hashes to `dataHash` (hex). */
  chunkStringToSign(dataHash: string): string {
    return `AWS4-HMAC-SHA256-PAYLOAD\n${this.ctx.amzDate}\n${this.ctx.scope}\n${this.previous}\n${EMPTY_SHA256}\n${dataHash}`;
  }

  trailerStringToSign(canonicalTrailers: string): string {
    return `AWS4-HMAC-SHA256-TRAILER\n${this.ctx.amzDate}\n${this.ctx.scope}\n${this.previous}\n${sha256Hex(canonicalTrailers)}`;
  }

  /** Checks the signature the client sent for the next chunk; the chain moves on. Throws SignatureDoesNotMatch. */
  verifyChunk(dataHash: string, provided: string): void {
    this.verify(this.chunkStringToSign(dataHash), provided);
  }

  /** Checks x-amz-trailer-signature over the trailing headers ("name:value\n" each). */
  verifyTrailer(canonicalTrailers: string, provided: string): void {
    this.verify(this.trailerStringToSign(canonicalTrailers), provided);
  }

  private verify(sts: string, provided: string): void {
    const computed = signString(this.ctx.signingKey, sts);
    if (!signaturesEqual(computed, provided)) {
      throw authErrors.signatureDoesNotMatch({
        accessKey: this.ctx.accessKey,
        stringToSign: sts,
        signatureProvided: provided,
      });
    }
    this.previous = computed;
  }
}
