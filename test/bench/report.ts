/**
 * Formats benchmark cells: ops/s and latency for small objects, MB/s for large
 * ones. A cell measured over several rounds shows each server's median round,
 * and the median of the per-round ratios (each round measures both servers
 * back to back, so its ratio is fair even when the machine's load drifts).
 */
import { percentile, type CellResult } from './bench-cells.js';

export interface Row {
  readonly size: string;
  readonly op: string;
  readonly concurrency: number;
  readonly strata: string;
  readonly baseline: string;
  readonly ratio: string;
}

/** Small objects are bounded by requests per second, large ones by bytes per second. */
const SMALL = 64 * 1024;

function valueOf(size: number, r: CellResult): number {
  return size <= SMALL ? r.ops / r.seconds : r.bytes / 1e6 / r.seconds;
}

function text(size: number, r: CellResult): string {
  const p50 = percentile(r.latencies, 50).toFixed(2);
  const p99 = percentile(r.latencies, 99).toFixed(2);
  const v = valueOf(size, r).toFixed(0);
  return size <= SMALL ? `${v} ops/s, p50 ${p50} ms, p99 ${p99} ms` : `${v} MB/s (${r.ops} ops)`;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The round whose value is the median (the lower middle one for an even count). */
function medianRound(size: number, rounds: readonly CellResult[]): CellResult {
  const sorted = [...rounds].sort((a, b) => valueOf(size, a) - valueOf(size, b));
  return sorted[(sorted.length - 1) >> 1] as CellResult;
}

/** `strata[i]` and `baseline[i]` are round i of each server. */
export function formatCell(
  label: string,
  op: string,
  concurrency: number,
  size: number,
  strata: readonly CellResult[],
  baseline: readonly CellResult[],
): Row {
  const ratios = strata.map((s, i) => valueOf(size, s) / valueOf(size, baseline[i] as CellResult));
  const many = strata.length > 1;
  return {
    size: label,
    op,
    concurrency,
    strata: text(size, medianRound(size, strata)),
    baseline: text(size, medianRound(size, baseline)),
    ratio: median(ratios).toFixed(2) + (many ? ` (${ratios.map((r) => r.toFixed(2)).join(' ')})` : ''),
  };
}

export function printTable(rows: readonly Row[]): void {
  const head = ['size', 'op', 'conc', 'Strata', 'baseline', 'Strata/baseline'];
  const cells = rows.map((r) => [r.size, r.op, String(r.concurrency), r.strata, r.baseline, r.ratio]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}
