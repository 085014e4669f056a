/**
 * The benchmark's large-object checks (opt out with BENCH_SELECT_BIG=0):
 * - LIMIT 10 on a ≥ 1 GB CSV object answers in well under 100 ms (LIMIT stops
 *   the scan at once, so the time does not grow with the object);
 * - a full scan of a ≥ 2 GB CSV object while the server's RSS is sampled
 *   every 50 ms: streaming keeps it flat (aim: under 300 MB).
 * Both objects are generated while they upload, never held in memory or on
 * local disk outside the server's data dir.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { rssOf } from './memory-check.js';
import { csvStream } from './select-data.js';
import { timeStrata } from './select-timing.js';

const MB = 1e6;

async function uploadGenerated(s3: S3Client, bucket: string, key: string, minBytes: number): Promise<number> {
  let size = 0;
  const body = csvStream(minBytes);
  body.on('data', (c: Buffer) => (size += c.length));
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: body },
    partSize: 64 * 1024 * 1024,
    queueSize: 2,
  });
  await upload.done();
  return size;
}

export interface LimitResult {
  readonly size: number;
  readonly timesMs: readonly number[];
}

export async function limitOnLargeObject(
  s3: S3Client,
  bucket: string,
  minBytes: number,
): Promise<LimitResult> {
  const key = 'big-limit.csv';
  const size = await uploadGenerated(s3, bucket, key, minBytes);
  const timesMs: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const r = await timeStrata({
        s3,
        bucket,
        key,
        sql: 'SELECT * FROM S3Object s LIMIT 10',
        input: { CSV: { FileHeaderInfo: 'USE' } },
      });
      if (r.rowCount !== 10) throw new Error(`LIMIT 10 returned ${r.rowCount} rows`);
      timesMs.push(r.seconds * 1000);
    }
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
  return { size, timesMs };
}

export interface MemoryResult {
  readonly size: number;
  readonly seconds: number;
  readonly rows: number;
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
}

/** Uploads a generated CSV of ≥ minBytes and runs a full scan with output while sampling `pid`'s RSS. */
export async function memoryOnLargeScan(
  s3: S3Client,
  bucket: string,
  pid: number,
  minBytes: number,
): Promise<MemoryResult> {
  const key = 'big-memory.csv';
  const size = await uploadGenerated(s3, bucket, key, minBytes);
  const rssBeforeBytes = rssOf(pid) ?? 0;
  let peak = rssBeforeBytes;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  }, 50);
  try {
    const r = await timeStrata({
      s3,
      bucket,
      key,
      sql: `SELECT s.id, s.city, s.note FROM S3Object s WHERE CAST(s.qty AS INT) > 80`,
      input: { CSV: { FileHeaderInfo: 'USE' } },
      keepRows: 0,
    });
    peak = Math.max(peak, rssOf(pid) ?? 0);
    return { size, seconds: r.seconds, rows: r.rowCount, rssBeforeBytes, peakRssBytes: peak };
  } finally {
    clearInterval(timer);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}

export function describeLimit(r: LimitResult): string {
  const sorted = [...r.timesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return (
    `LIMIT 10 on a ${(r.size / MB).toFixed(0)} MB CSV object: first ${r.timesMs[0]!.toFixed(1)} ms, ` +
    `median of ${r.timesMs.length} ${median.toFixed(1)} ms — ${median < 100 ? 'under' : 'NOT under'} 100 ms`
  );
}

export function describeMemory(r: MemoryResult): string {
  const peak = r.peakRssBytes / MB;
  return (
    `full scan of a ${(r.size / MB).toFixed(0)} MB CSV object (${r.rows} rows out) in ${r.seconds.toFixed(1)} s ` +
    `(${(r.size / MB / r.seconds).toFixed(0)} MB/s): server RSS ${(r.rssBeforeBytes / MB).toFixed(0)} MB before, ` +
    `peak ${peak.toFixed(0)} MB — ${peak < 300 ? 'under' : 'NOT under'} 300 MB`
  );
}
