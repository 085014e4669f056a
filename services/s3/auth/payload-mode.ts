/**
 * What x-amz-content-sha256 says about the payload:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html
 */
import { errors } from '../../../shared/errors.js';
import { authErrors } from './auth-errors.js';

export type PayloadMode =
  /** UNSIGNED-PAYLOAD: the body is not checked. */
  | { readonly kind: 'unsigned' }
  /** The hex SHA-256 of the whole body. */
  | { readonly kind: 'sha256'; readonly hash: string }
  /** aws-chunked with chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
  | { readonly kind: 'signed-chunks'; readonly trailer: boolean }
  /** aws-chunked without signatures, trailing headers after the last chunk. */
  | { readonly kind: 'unsigned-chunks-trailer' };

const UNSIGNED: PayloadMode = { kind: 'unsigned' };
const SIGNED_CHUNKS: PayloadMode = { kind: 'signed-chunks', trailer: false };
const SIGNED_CHUNKS_TRAILER: PayloadMode = { kind: 'signed-chunks', trailer: true };
const UNSIGNED_TRAILER: PayloadMode = { kind: 'unsigned-chunks-trailer' };

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** The value the canonical request carries as HashedPayload is the header value itself, whatever the mode. */
export function payloadModeOf(value: string): PayloadMode {
  switch (value) {
    case 'UNSIGNED-PAYLOAD':
      return UNSIGNED;
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return SIGNED_CHUNKS;
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return SIGNED_CHUNKS_TRAILER;
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return UNSIGNED_TRAILER;
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD':
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER':
      // Valid to S3, but only with Signature V4A, which this server does not accept.
      throw errors.notImplemented(`x-amz-content-sha256: ${value}`);
    default:
      if (SHA256_HEX.test(value)) return { kind: 'sha256', hash: value.toLowerCase() };
      throw authErrors.invalidContentSha256(value);
  }
}
