/**
 * Waits until a server process has finished its background work (Strata
 * processes the events of a cell's PUTs and DELETEs after they are answered),
 * so that it does not take CPU from the next cell, which may measure the
 * other server. Linux (/proc); elsewhere it returns at once.
 */
import fs from 'node:fs';

/** CPU time (user + system) of a process in ms, or undefined when it cannot be read. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves once each process used under 5% of a core over 200 ms, or after `maxMs`. */
export async function waitUntilQuiet(pids: readonly number[], maxMs = 10_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const before = pids.map(cpuMsOf);
    if (before.some((v) => v === undefined)) return;
    await new Promise((r) => setTimeout(r, 200));
    const busy = pids.some((pid, i) => (cpuMsOf(pid) ?? 0) - (before[i] as number) > 10);
    if (!busy) return;
  }
}
