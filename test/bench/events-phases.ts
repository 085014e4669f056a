/**
 * The phases of `npm run bench:events`, each printing its figures:
 * latency at a paced rate, sustained events/s in a burst, and PUT
 * throughput with events on versus no consumers.
 */
import { percentile } from './bench-cells.js';
import { burstPuts, deliveryLatencies, pacedPuts, type PutRun } from './events-load.js';
import type { Arrivals } from './events-sinks.js';
import type { BenchClient } from './sigv4-client.js';
import { parsePromText, samplesOf, valueOf } from '../helpers/prom-text.js';

export const OBJECT_SIZE = 1024;

/** A consumer being measured: the subscription or the webhook receiver. */
export interface Sink {
  readonly name: string;
  readonly arrivals: Arrivals;
}

export interface EventsTarget {
  readonly endpoint: string;
  readonly client: BenchClient;
  readonly bucket: string;
  /** Authorization header for /_strata/metrics. */
  readonly metricsAuth: string;
  /** The server's process id (for its CPU time). */
  readonly pid: number;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** PUTs at 20/s until every sink has seen one of them: the pipeline is up end to end. */
export async function warmUp(
  target: EventsTarget,
  sinks: readonly Sink[],
  timeoutMs: number,
): Promise<Sink[]> {
  const deadline = performance.now() + timeoutMs;
  const keys: string[] = [];
  for (let i = 0; performance.now() < deadline; i++) {
    const key = `warmup/obj-${i}`;
    await target.client.request('PUT', `/${target.bucket}/${key}`, {
      body: Buffer.alloc(16),
      contentLength: 16,
    });
    keys.push(key);
    if (sinks.every((s) => keys.some((k) => s.arrivals.at.has(k)))) return [...sinks];
    await new Promise((r) => setTimeout(r, 50));
  }
  return sinks.filter((s) => keys.some((k) => s.arrivals.at.has(k)));
}

function reportDelivery(run: PutRun, sink: Sink, delivered: boolean, aimMs?: number): void {
  const lat = deliveryLatencies(run, sink.arrivals.at);
  const missing = run.ackAt.size - lat.length;
  const p99 = percentile(lat, 99);
  const aim =
    aimMs === undefined
      ? ''
      : p99 < aimMs
        ? `  (aim p99 < ${aimMs} ms: met)`
        : `  (aim p99 < ${aimMs} ms: NOT met)`;
  console.log(
    `  PUT acknowledged → ${sink.name}: p50 ${ms(percentile(lat, 50))}, p99 ${ms(p99)}, max ${ms(lat.at(-1) ?? NaN)}` +
      `, delivered ${lat.length}/${run.ackAt.size}${delivered ? '' : ` (${missing} missing at the deadline)`}` +
      `${sink.arrivals.duplicates ? `, ${sink.arrivals.duplicates} duplicates so far` : ''}${aim}`,
  );
}

export async function latencyPhase(
  target: EventsTarget,
  sinks: readonly Sink[],
  rate: number,
  seconds: number,
): Promise<void> {
  console.log(`latency: ${rate} PUT/s of ${OBJECT_SIZE} B objects for ${seconds} s (paced, open loop)`);
  const run = await pacedPuts(target.client, target.bucket, 'latency', rate, seconds, OBJECT_SIZE);
  const acked = run.ackAt.size / ((run.endedAt - run.startedAt) / 1000);
  console.log(
    `  ${run.ackAt.size} PUTs acknowledged at ${acked.toFixed(0)} PUT/s (${run.failures} failed, ` +
      `${run.lateStarts} issued > 5 ms late); PUT response p50 ${ms(percentile(run.putLatencies, 50))}, ` +
      `p99 ${ms(percentile(run.putLatencies, 99))}`,
  );
  for (const sink of sinks) {
    const delivered = await sink.arrivals.waitFor([...run.ackAt.keys()], 30_000);
    reportDelivery(run, sink, delivered, 50);
  }
}

export interface PipelineSample {
  readonly backlog: number;
  readonly oldestAge: number;
  readonly waiting: number;
  /** Jobs waiting, active, delayed or prioritized, over every queue. */
  readonly pending: number;
  readonly queues: string[];
}

export async function sampleMetrics(target: EventsTarget): Promise<PipelineSample | undefined> {
  try {
    const res = await fetch(`${target.endpoint}/_strata/metrics`, {
      headers: { authorization: target.metricsAuth },
    });
    if (res.status !== 200) return undefined;
    const s = parsePromText(await res.text());
    const sum = (state: string) =>
      samplesOf(s, 'strata_queue_jobs', { state }).reduce((a, x) => a + x.value, 0);
    const waiting = sum('waiting');
    return {
      backlog: valueOf(s, 'strata_outbox_backlog_events') ?? NaN,
      oldestAge: valueOf(s, 'strata_outbox_oldest_unsent_age_seconds') ?? NaN,
      waiting,
      pending: waiting + sum('active') + sum('delayed') + sum('prioritized'),
      queues: [...new Set(samplesOf(s, 'strata_queue_jobs').map((x) => x.labels['queue']!))],
    };
  } catch {
    return undefined;
  }
}

export async function burstPhase(
  target: EventsTarget,
  sinks: readonly Sink[],
  count: number,
  concurrency: number,
): Promise<void> {
  console.log(`burst: ${count} PUTs of ${OBJECT_SIZE} B as fast as ${concurrency} clients go`);
  const samples: PipelineSample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await sampleMetrics(target);
      if (s) samples.push(s);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const run = await burstPuts(target.client, target.bucket, 'burst', count, concurrency, OBJECT_SIZE);
  const putSeconds = (run.endedAt - run.startedAt) / 1000;
  console.log(
    `  ${run.ackAt.size} PUTs in ${putSeconds.toFixed(2)} s = ${(run.ackAt.size / putSeconds).toFixed(0)} PUT/s (${run.failures} failed)`,
  );
  const keys = [...run.ackAt.keys()];
  for (const sink of sinks) {
    const delivered = await sink.arrivals.waitFor(keys, 60_000);
    const times = keys.map((k) => sink.arrivals.at.get(k)).filter((t): t is number => t !== undefined);
    const last = Math.max(...times);
    const span = (last - run.startedAt) / 1000;
    console.log(
      `  → ${sink.name}: ${times.length}/${keys.length} events in ${span.toFixed(2)} s from the first PUT = ` +
        `${(times.length / span).toFixed(0)} events/s; last one ${ms(last - run.endedAt)} after the last PUT's ack` +
        `${delivered ? '' : ' (some missing at the deadline)'}`,
    );
  }
  sampling = false;
  await sampler;
  if (samples.length > 0) {
    const peak = (f: (s: PipelineSample) => number) => Math.max(...samples.map(f));
    console.log(
      `  pipeline (from /_strata/metrics every 250 ms): peak outbox backlog ${peak((s) => s.backlog)} events, ` +
        `peak oldest unsent ${(peak((s) => s.oldestAge) * 1000).toFixed(0)} ms, peak waiting jobs ${peak((s) => s.waiting)}`,
    );
  }
}
