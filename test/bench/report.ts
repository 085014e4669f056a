/** Formats benchmark cells: ops/s and latency for small objects, MB/s for large ones. */
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

function figure(size: number, r: CellResult): { text: string; value: number } {
  const p50 = percentile(r.latencies, 50).toFixed(2);
  const p99 = percentile(r.latencies, 99).toFixed(2);
  if (size <= SMALL) {
    const ops = r.ops / r.seconds;
    return { text: `${ops.toFixed(0)} ops/s, p50 ${p50} ms, p99 ${p99} ms`, value: ops };
  }
  const mbs = r.bytes / 1e6 / r.seconds;
  return { text: `${mbs.toFixed(0)} MB/s (${r.ops} ops)`, value: mbs };
}

export function formatCell(
  label: string,
  op: string,
  concurrency: number,
  size: number,
  strata: CellResult,
  baseline: CellResult,
): Row {
  const s = figure(size, strata);
  const b = figure(size, baseline);
  return {
    size: label,
    op,
    concurrency,
    strata: s.text,
    baseline: b.text,
    ratio: (s.value / b.value).toFixed(2),
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
