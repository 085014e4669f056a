/**
 * Checksums S3 supports on objects (x-amz-checksum-*), computed while a body
 * streams. CRC values are the 4 big-endian bytes; all are sent base64.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash } from 'node:crypto';
import type { ChecksumAlgorithm } from './types.js';
import { crc32, crc32c, type CrcUpdate } from './crc.js';

export interface Digester {
  update(data: Buffer): void;
  digest(): Buffer;
}

const LENGTH: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, SHA1: 20, SHA256: 32 };

class CrcDigester implements Digester {
  private crc = 0;
  constructor(private readonly fn: CrcUpdate) {}
  update(data: Buffer): void {
    this.crc = this.fn(this.crc, data);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

export function createDigester(alg: ChecksumAlgorithm): Digester {
  switch (alg) {
    case 'CRC32':
      return new CrcDigester(crc32);
    case 'CRC32C':
      return new CrcDigester(crc32c);
    case 'SHA1':
      return createHash('sha1');
    case 'SHA256':
      return createHash('sha256');
  }
}

export function checksumOf(alg: ChecksumAlgorithm, data: Buffer): Buffer {
  const d = createDigester(alg);
  d.update(data);
  return d.digest();
}

/** True when `value` is canonical base64 of exactly as many bytes as `alg` produces. */
export function isWellFormedChecksum(alg: ChecksumAlgorithm, value: string): boolean {
  return isBase64Of(value, LENGTH[alg]);
}

export function isBase64Of(value: string, bytes: number): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, 'base64').length === bytes;
}

/**
 * A multipart object's COMPOSITE checksum: the checksum of the concatenated
 * binary part checksums, then "-" and the number of parts.
 */
export function compositeChecksum(alg: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const d = createDigester(alg);
  for (const c of partChecksums) d.update(Buffer.from(c, 'base64'));
  return `${d.digest().toString('base64')}-${partChecksums.length}`;
}

/** A multipart object's ETag: MD5 of the concatenated binary part MD5s, "-N", quoted. */
export function multipartEtag(partEtags: readonly string[]): string {
  const h = createHash('md5');
  for (const e of partEtags) h.update(Buffer.from(unquote(e), 'hex'));
  return `"${h.digest('hex')}-${partEtags.length}"`;
}

export function unquote(etag: string): string {
  return etag.startsWith('"') && etag.endsWith('"') && etag.length >= 2 ? etag.slice(1, -1) : etag;
}
