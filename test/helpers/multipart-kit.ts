/**
 * Helpers the multipart end-to-end tests share: reproducible data of any
 * size that never has to sit in memory whole, the multipart ETag computed
 * independently of the server, short forms of the multipart calls, a
 * cleanup that aborts uploads left in a bucket before deleting it, and the
 * describe-block set-up that ties them to a Strata node.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach } from 'node:test';
import { bucketName } from './strata.js';
import { strataSuite, type StrataSuite } from './strata-suite.js';
import { emptyAndDeleteBucket } from './object-kit.js';

export const MiB = 1024 * 1024;

/** A reproducible byte stream: xorshift32 from `seed`, produced in 64 KiB chunks as it is read. */
export function patternStream(size: number, seed: number): Readable {
  let state = seed >>> 0 || 1;
  let left = size;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(64 * 1024, left);
      const chunk = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        if (i + 4 <= n) chunk.writeUInt32LE(state, i);
        else for (let j = i; j < n; j++) chunk[j] = (state >>> ((j - i) * 8)) & 0xff;
      }
      left -= n;
      this.push(chunk);
    },
  });
}

/** The same bytes as patternStream, in one buffer (for data small enough to hold). */
export async function pattern(size: number, seed: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of patternStream(size, seed)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** SHA-256 (hex) and length of a stream, read chunk by chunk. */
export async function streamDigest(body: unknown): Promise<{ sha256: string; size: number }> {
  assert.ok(body instanceof Readable, 'response has a streaming body');
  const h = createHash('sha256');
  let size = 0;
  for await (const c of body) {
    h.update(c as Uint8Array);
    size += (c as Uint8Array).length;
  }
  return { sha256: h.digest('hex'), size };
}

export function bufferDigest(b: Buffer): { sha256: string; size: number } {
  return { sha256: createHash('sha256').update(b).digest('hex'), size: b.length };
}

/** MD5 digest of `b` (a single-part ETag is its hex form in quotes). */
export const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

/** The multipart ETag as S3 documents it: MD5 of the concatenated binary part MD5s, "-", part count. */
export function multipartEtag(parts: readonly Buffer[]): string {
  const md5s = parts.map((p) => createHash('md5').update(p).digest());
  return `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
}

/** Short forms of the multipart calls for one client; every bucket made is remembered for cleanup. */
export function multipartKit(s3: () => S3Client) {
  const buckets: string[] = [];
  return {
    async newBucket(): Promise<string> {
      const b = bucketName('mpu');
      await s3().send(new CreateBucketCommand({ Bucket: b }));
      buckets.push(b);
      return b;
    },
    async start(bucket: string, key: string): Promise<string> {
      const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      assert.ok(UploadId);
      return UploadId;
    },
    async put(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer) {
      const res = await s3().send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
        }),
      );
      assert.ok(res.ETag);
      return { PartNumber: partNumber, ETag: res.ETag } satisfies CompletedPart;
    },
    complete(bucket: string, key: string, uploadId: string, parts: CompletedPart[]) {
      return s3().send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    },
    /** Aborts what is left in each bucket made, then empties and deletes it. */
    async cleanup(): Promise<void> {
      for (const b of buckets.splice(0)) await deleteBucketAndUploads(s3(), b);
    },
  };
}

/**
 * Registers, in the calling describe block, a Strata node started before its
 * tests and closed after them, and a multipartKit on it whose buckets are
 * removed (uploads aborted first) after each test.
 */
export function multipartSuite(): { suite: StrataSuite; kit: ReturnType<typeof multipartKit> } {
  const suite = strataSuite();
  const kit = multipartKit(() => suite.s3);
  afterEach(() => kit.cleanup());
  return { suite, kit };
}

async function deleteBucketAndUploads(s3: S3Client, bucket: string): Promise<void> {
  try {
    for (;;) {
      const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      for (const u of page.Uploads ?? []) {
        await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
      }
      if (!page.IsTruncated) break;
    }
    await emptyAndDeleteBucket(s3, bucket);
  } catch (e) {
    // A test may have deleted its bucket itself.
    if (!(e instanceof S3ServiceException && e.name === 'NoSuchBucket')) throw e;
  }
}
