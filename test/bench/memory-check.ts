/**
 * Streams a large object through a server and back while sampling the
 * server's resident memory: a streaming server's RSS stays flat whatever the
 * object size.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { BenchClient } from './sigv4-client.js';

export interface MemoryCheckResult {
  readonly size: number;
  readonly peakRssBytes: number;
  readonly putSeconds: number;
  readonly getSeconds: number;
  readonly intact: boolean;
}

/** VmRSS of a process in bytes (Linux), or undefined when it cannot be read. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Chunks of a size-byte body made one at a time (never all in memory), hashed as they are made. */
function* generatedBody(size: number, hash: ReturnType<typeof createHash>): Generator<Buffer> {
  const chunk = randomBytes(1024 * 1024);
  for (let off = 0, n = 0; off < size; off += chunk.length, n++) {
    chunk.writeUInt32BE(n, 0); // every chunk differs, so nothing can be shared between them
    const part = chunk.subarray(0, Math.min(chunk.length, size - off));
    hash.update(part);
    yield part;
  }
}

export async function memoryCheck(
  client: BenchClient,
  pid: number,
  path: string,
  size: number,
): Promise<MemoryCheckResult> {
  let peak = rssOf(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  }, 50);
  try {
    const sent = createHash('sha256');
    let t = performance.now();
    await client.request('PUT', path, { body: generatedBody(size, sent), contentLength: size });
    const putSeconds = (performance.now() - t) / 1000;
    const got = createHash('sha256');
    t = performance.now();
    const { bytes } = await client.request('GET', path, { onData: (c) => got.update(c) });
    const getSeconds = (performance.now() - t) / 1000;
    await client.request('DELETE', path);
    peak = Math.max(peak, rssOf(pid) ?? 0);
    return {
      size,
      peakRssBytes: peak,
      putSeconds,
      getSeconds,
      intact: bytes === size && sent.digest('hex') === got.digest('hex'),
    };
  } finally {
    clearInterval(timer);
  }
}
