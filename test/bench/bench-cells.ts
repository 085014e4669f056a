/**
 * One benchmark cell: PUT or GET of objects of one size at one concurrency,
 * for a bounded time and a bounded number of objects, against one server.
 */
import { randomBytes } from 'node:crypto';
import type { BenchClient } from './sigv4-client.js';

export interface CellSpec {
  readonly size: number;
  readonly concurrency: number;
  readonly seconds: number;
  /** Most objects one PUT cell writes (bounds the disk used by large sizes). */
  readonly maxObjects: number;
}

export interface CellResult {
  readonly ops: number;
  readonly bytes: number;
  readonly seconds: number;
  /** Latencies in ms, sorted ascending. */
  readonly latencies: readonly number[];
}

const CHUNK = 1024 * 1024;
const chunkBuffer = randomBytes(CHUNK);

/** A body of `size` bytes: one buffer when small, else 1 MiB chunks made on demand. */
export function bodyOfSize(size: number): Buffer | Iterable<Buffer> {
  if (size <= CHUNK) return chunkBuffer.subarray(0, size);
  return (function* () {
    for (let left = size; left > 0; left -= CHUNK) yield chunkBuffer.subarray(0, Math.min(CHUNK, left));
  })();
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs op(i) from `concurrency` workers until the time or the op budget is used up. */
async function runCell(
  spec: CellSpec,
  maxOps: number,
  op: (i: number) => Promise<number>,
): Promise<CellResult> {
  const latencies: number[] = [];
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  const deadline = t0 + spec.seconds * 1000;
  const worker = async () => {
    while (next < maxOps && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      const n = await op(i);
      bytes += n;
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { ops: latencies.length, bytes, seconds, latencies: latencies.sort((a, b) => a - b) };
}

const keyOf = (prefix: string, i: number) => `/${prefix}/obj-${String(i).padStart(7, '0')}`;

/** PUTs new objects; returns the result and the paths written (for GET and cleanup). */
export async function putCell(
  client: BenchClient,
  prefix: string,
  spec: CellSpec,
): Promise<{ result: CellResult; paths: string[] }> {
  const paths: string[] = [];
  const result = await runCell(spec, spec.maxObjects, async (i) => {
    const p = keyOf(prefix, i);
    await client.request('PUT', p, { body: bodyOfSize(spec.size), contentLength: spec.size });
    paths.push(p);
    return spec.size;
  });
  return { result, paths };
}

/** GETs the given objects round-robin (at most twice each for bounded large runs). */
export async function getCell(
  client: BenchClient,
  paths: readonly string[],
  spec: CellSpec,
): Promise<CellResult> {
  const maxOps = spec.size >= 16 * CHUNK ? paths.length * 2 : Number.MAX_SAFE_INTEGER;
  return runCell(spec, maxOps, async (i) => {
    const { bytes } = await client.request('GET', paths[i % paths.length]!);
    if (bytes !== spec.size) throw new Error(`GET ${paths[i % paths.length]} returned ${bytes} bytes`);
    return bytes;
  });
}

/** Deletes what a cell wrote, `concurrency` at a time, so large cells do not fill the disk. */
export async function deleteAll(
  client: BenchClient,
  paths: readonly string[],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) await client.request('DELETE', paths[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
