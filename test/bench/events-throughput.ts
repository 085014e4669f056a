/**
 * The write-path cost of events: PUT throughput of the "events on" server
 * versus the "no consumers" one, in rounds of alternating order (A B, B A, …)
 * so that drift (other load on the machine, disk cache, SQLite growth) hits
 * both alike. Before each round a server's pipeline is let settle (empty
 * outbox, no pending job), and the CPU time of the server and of this bench
 * process is shown per side.
 */
import fs from 'node:fs';
import { percentile, putCell, type CellResult } from './bench-cells.js';
import { sampleMetrics, type EventsTarget } from './events-phases.js';

export interface ThroughputSide {
  readonly label: string;
  readonly target: EventsTarget;
  /** Waits until this side's consumers have received the given keys (nothing to wait for without consumers). */
  readonly drain: (keys: readonly string[]) => Promise<void>;
}

interface Totals {
  ops: number;
  seconds: number;
  latencies: number[];
  serverCpu: number;
  benchCpu: number;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
/** Linux clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel). */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far; NaN where /proc is not readable. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}

function benchCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Waits (up to 30 s) until the server's outbox is empty and no job is pending. */
async function settle(target: EventsTarget): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const s = await sampleMetrics(target);
    if (s && s.backlog === 0 && s.pending === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function throughputPhase(
  sides: readonly [ThroughputSide, ThroughputSide],
  rounds: number,
  seconds: number,
  concurrency: number,
): Promise<void> {
  const size = 4096;
  console.log(
    `throughput: PUT ${size} B objects, ${concurrency} clients, ${rounds} alternating rounds of ${seconds} s per server`,
  );
  const totals: Totals[] = sides.map(() => ({
    ops: 0,
    seconds: 0,
    latencies: [],
    serverCpu: 0,
    benchCpu: 0,
  }));
  for (let r = 0; r < rounds; r++) {
    // A B, B A, A B, …: neither server is always the one measured right after the other.
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const side = sides[i]!;
      await settle(side.target);
      const cpu0 = [cpuSecondsOf(side.target.pid), benchCpuSeconds()] as const;
      const { result, paths } = await putCell(side.target.client, `${side.target.bucket}/tp-${r}`, {
        size,
        concurrency,
        seconds,
        maxObjects: 1_000_000,
      });
      const t = totals[i]!;
      add(t, result);
      t.serverCpu += cpuSecondsOf(side.target.pid) - cpu0[0];
      t.benchCpu += benchCpuSeconds() - cpu0[1];
      console.log(`  round ${r + 1} ${side.label}: ${(result.ops / result.seconds).toFixed(0)} PUT/s`);
      // Let this side's consumers catch up before the other side is measured.
      await side.drain(paths.map((p) => p.slice(side.target.bucket.length + 2)));
    }
  }
  const rate = totals.map((t) => t.ops / t.seconds);
  for (const [i, side] of sides.entries()) {
    const t = totals[i]!;
    const lat = t.latencies.sort((a, b) => a - b);
    const pct = (cpu: number) => `${((cpu / t.seconds) * 100).toFixed(0)}%`;
    console.log(
      `  ${side.label}: ${rate[i]!.toFixed(0)} PUT/s, p50 ${ms(percentile(lat, 50))}, p99 ${ms(percentile(lat, 99))}; ` +
        `CPU: server ${pct(t.serverCpu)}, bench process ${pct(t.benchCpu)} (of one core)`,
    );
  }
  const ratio = rate[0]! / rate[1]!;
  console.log(
    `  ratio ${sides[0].label} / ${sides[1].label}: ${ratio.toFixed(3)} → events cost the write path ` +
      `${((1 - ratio) * 100).toFixed(1)}% of its throughput (aim ≤ 10%: ${ratio >= 0.9 ? 'met' : 'NOT met'})`,
  );
}

function add(total: Totals, r: CellResult): void {
  total.ops += r.ops;
  total.seconds += r.seconds;
  total.latencies.push(...r.latencies);
}
