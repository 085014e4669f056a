/**
 * The Signature V4 signing key and the HMAC that uses it:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html#signing-key
 *
 *   kDate    = HMAC("AWS4" + secret, yyyyMMdd)
 *   kRegion  = HMAC(kDate, region)
 *   kService = HMAC(kRegion, service)
 *   kSigning = HMAC(kService, "aws4_request")
 *
 * Deriving it costs four HMACs; a key is valid for a whole day, so it is
 * cached per access key, date, region and service.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** A derived signing key; the cache keeps it as a KeyObject, which HMACs faster than raw bytes. */
export type SigningKey = Buffer | KeyObject;

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac('AWS4' + secret, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Lower-case hex HMAC-SHA256 of a string to sign. */
export function signString(signingKey: SigningKey, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Compares a computed signature (lower-case hex) with the one a client sent,
 * in constant time. S3 accepts the hex digits in either case.
 */
export function signaturesEqual(computed: string, provided: string): boolean {
  if (computed.length !== provided.length) return false;
  return timingSafeEqual(Buffer.from(computed, 'latin1'), Buffer.from(provided.toLowerCase(), 'latin1'));
}

interface CachedKey {
  readonly secret: string;
  readonly key: KeyObject;
}

/** Signing keys by access key, date, region and service; bounded, oldest entries go first. */
export class SigningKeyCache {
  private readonly keys = new Map<string, CachedKey>();

  constructor(private readonly maxEntries = 4096) {}

  get(accessKey: string, secret: string, date: string, region: string, service: string): KeyObject {
    const id = `${accessKey}\n${date}\n${region}\n${service}`;
    const hit = this.keys.get(id);
    // The secret is part of the check: a user re-created with a new secret must not reuse the old key.
    if (hit !== undefined && hit.secret === secret) return hit.key;
    const key = createSecretKey(deriveSigningKey(secret, date, region, service));
    if (hit === undefined && this.keys.size >= this.maxEntries) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(id, { secret, key });
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}
