/**
 * Load shapes of the events benchmark: PUTs paced at a fixed rate (open loop:
 * a slow response never delays the next PUT), and a closed-loop burst as fast
 * as `concurrency` clients go. Each notes when every PUT was acknowledged.
 */
import { bodyOfSize } from './bench-cells.js';
import type { BenchClient } from './sigv4-client.js';

export interface PutRun {
  /** Object keys written, in issue order. */
  readonly keys: string[];
  /** performance.now() when each key's PUT response had fully arrived. */
  readonly ackAt: Map<string, number>;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly failures: number;
  /** Each acknowledged PUT's response time in ms, sorted. */
  readonly putLatencies: number[];
  /** PUTs issued more than 5 ms after their slot (the bench process could not keep the pace). */
  readonly lateStarts: number;
}

const keyOf = (prefix: string, i: number) => `${prefix}/obj-${String(i).padStart(7, '0')}`;

/** `rate` PUTs per second for `seconds`, each of `size` bytes, under `prefix` in `bucket`. */
export async function pacedPuts(
  client: BenchClient,
  bucket: string,
  prefix: string,
  rate: number,
  seconds: number,
  size: number,
): Promise<PutRun> {
  const total = Math.round(rate * seconds);
  const keys: string[] = [];
  const ackAt = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  let lateStarts = 0;
  const putLatencies: number[] = [];
  const startedAt = performance.now();
  for (let i = 0; i < total; i++) {
    const due = startedAt + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - due > 5) lateStarts++;
    const key = keyOf(prefix, i);
    keys.push(key);
    const issued = performance.now();
    inFlight.push(
      client.request('PUT', `/${bucket}/${key}`, { body: bodyOfSize(size), contentLength: size }).then(
        () => {
          const now = performance.now();
          ackAt.set(key, now);
          putLatencies.push(now - issued);
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inFlight);
  putLatencies.sort((a, b) => a - b);
  return { keys, ackAt, startedAt, endedAt: performance.now(), failures, lateStarts, putLatencies };
}

/** `count` PUTs from `concurrency` clients as fast as they go. */
export async function burstPuts(
  client: BenchClient,
  bucket: string,
  prefix: string,
  count: number,
  concurrency: number,
  size: number,
): Promise<PutRun> {
  const keys = Array.from({ length: count }, (_, i) => keyOf(prefix, i));
  const ackAt = new Map<string, number>();
  let next = 0;
  let failures = 0;
  const putLatencies: number[] = [];
  const startedAt = performance.now();
  const worker = async () => {
    while (next < count) {
      const key = keys[next++]!;
      const issued = performance.now();
      try {
        await client.request('PUT', `/${bucket}/${key}`, { body: bodyOfSize(size), contentLength: size });
        const now = performance.now();
        ackAt.set(key, now);
        putLatencies.push(now - issued);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  putLatencies.sort((a, b) => a - b);
  return { keys, ackAt, startedAt, endedAt: performance.now(), failures, lateStarts: 0, putLatencies };
}

/** Delivery latencies in ms (arrival − PUT acknowledged), sorted, for the keys that arrived. */
export function deliveryLatencies(run: PutRun, arrivals: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const [key, ack] of run.ackAt) {
    const at = arrivals.get(key);
    if (at !== undefined) out.push(at - ack);
  }
  return out.sort((a, b) => a - b);
}
