/**
 * The write load of the crash test: concurrent single PUTs and multipart
 * uploads whose bodies are derived from their keys (so they can be generated
 * again to compare), each recorded as it goes: never started, in flight
 * (the PUT or CompleteMultipartUpload was sent) or acknowledged.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createCipheriv, createHash } from 'node:crypto';

/** Where a write was when the server died. 'absent' means checked after a restart and not there. */
export type WriteState = 'idle' | 'inflight' | 'acked' | 'absent';

export interface PlannedWrite {
  readonly key: string;
  readonly size: number;
  /** Part sizes for a multipart upload; undefined for a single PUT. */
  readonly parts?: readonly number[];
  state: WriteState;
}

const MiB = 1024 * 1024;

/** The body of a key: an AES-CTR keystream seeded by the key (fast, incompressible, reproducible). */
export function bodyOf(key: string, size: number): Buffer {
  const seed = createHash('sha256').update(key).digest();
  const cipher = createCipheriv('aes-128-ctr', seed.subarray(0, 16), seed.subarray(16, 32));
  return cipher.update(Buffer.alloc(size));
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A deterministic mix: multipart uploads interleaved with PUTs of a few KB to a few MB. */
export function planRound(round: number, puts: number, multiparts: number): PlannedWrite[] {
  const plan: PlannedWrite[] = [];
  for (let i = 0; i < Math.max(puts, multiparts); i++) {
    if (i < multiparts) {
      // S3 requires every part but the last to be at least 5 MiB.
      // 2 to 4 parts, so some uploads complete while longer ones are still sending parts.
      const parts = [...Array<number>(1 + (i % 3)).fill(5 * MiB), 4096 + ((i * 7919) % (512 * 1024))];
      plan.push({ key: `r${round}/mpu-${i}`, size: parts.reduce((a, b) => a + b), parts, state: 'idle' });
    }
    if (i < puts) {
      const size = i % 4 === 0 ? 1 * MiB + ((i * 104_729) % (2 * MiB)) : 3000 + ((i * 7919) % (300 * 1024));
      plan.push({ key: `r${round}/put-${i}`, size, state: 'idle' });
    }
  }
  return plan;
}

/** Performs one planned write; its state says how far it got. */
export async function performWrite(s3: S3Client, bucket: string, w: PlannedWrite): Promise<void> {
  const body = bodyOf(w.key, w.size);
  if (!w.parts) {
    w.state = 'inflight';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: w.key, Body: body }));
    w.state = 'acked';
    return;
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: w.key }));
  const done: { PartNumber: number; ETag: string }[] = [];
  let offset = 0;
  for (const [i, size] of w.parts.entries()) {
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: w.key,
        UploadId,
        PartNumber: i + 1,
        Body: body.subarray(offset, offset + size),
      }),
    );
    done.push({ PartNumber: i + 1, ETag: part.ETag! });
    offset += size;
  }
  w.state = 'inflight';
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: w.key,
      UploadId,
      MultipartUpload: { Parts: done },
    }),
  );
  w.state = 'acked';
}

/**
 * Runs the writes `concurrency` at a time and calls onAck after each
 * acknowledgement (with the write); once stop() returns true no new write starts. Errors are
 * collected, not thrown: after a kill every in-flight request fails.
 */
export async function runWrites(
  s3: S3Client,
  bucket: string,
  plan: readonly PlannedWrite[],
  opts: { concurrency: number; onAck: (w: PlannedWrite) => void; stop: () => boolean },
): Promise<{ key: string; error: unknown; afterStop: boolean }[]> {
  const failures: { key: string; error: unknown; afterStop: boolean }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < plan.length && !opts.stop()) {
      const w = plan[next++]!;
      try {
        await performWrite(s3, bucket, w);
        opts.onAck(w);
      } catch (error) {
        failures.push({ key: w.key, error, afterStop: opts.stop() });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return failures;
}
