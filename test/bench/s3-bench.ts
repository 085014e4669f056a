/**
 * `npm run bench:s3`: Strata against a bare fsync-ing node:http file server,
 * measured in the same run with the same SigV4 client; then a 1 GiB
 * streaming round trip while sampling Strata's RSS.
 *
 * Env: BENCH_SECONDS (per cell, default 3), BENCH_ROUNDS (default 1: each cell
 * is measured that many times, alternating which server goes first, and the
 * table shows medians; use 3 or 5 on a loaded machine), BENCH_MEMORY_MIB
 * (default 1024; 0 skips the memory check), BENCH_SIZES (the object sizes to
 * measure, default "4KiB,1MiB,64MiB").
 * Starts its servers as child processes in a temp dir and removes both, even
 * on error or Ctrl+C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnStrata, type StrataProcess } from '../helpers/strata-process.js';
import { spawnBaseline, type BaselineProcess } from './baseline-process.js';
import { deleteAll, getCell, putCell, type CellResult, type CellSpec } from './bench-cells.js';
import { memoryCheck, rssOf } from './memory-check.js';
import { waitUntilQuiet } from './quiet.js';
import { formatCell, printTable, type Row } from './report.js';
import { BenchClient } from './sigv4-client.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const ACCESS_KEY = 'BENCHACCESSKEY';
const SECRET_KEY = 'bench-secret-key';
const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 1));
const memoryMiB = Number(process.env['BENCH_MEMORY_MIB'] ?? 1024);
const sizeLabels = (process.env['BENCH_SIZES'] ?? '4KiB,1MiB,64MiB').split(',').map((s) => s.trim());

const SIZES = [
  { size: 4 * KiB, label: '4 KiB', maxObjects: { 1: 1_000_000, 16: 1_000_000 } },
  { size: 1 * MiB, label: '1 MiB', maxObjects: { 1: 1000, 16: 1000 } },
  { size: 64 * MiB, label: '64 MiB', maxObjects: { 1: 8, 16: 16 } },
] as const;
const CONCURRENCY = [1, 16] as const;

interface Target {
  readonly name: string;
  readonly client: BenchClient;
  readonly pid: number;
}

async function measure(target: Target, spec: CellSpec, prefix: string): Promise<[CellResult, CellResult]> {
  const { result: put, paths } = await putCell(target.client, prefix, spec);
  const get = await getCell(target.client, paths, spec);
  await deleteAll(target.client, paths, 16);
  return [put, get];
}

async function main(tmp: string, children: { strata?: StrataProcess; baseline?: BaselineProcess }) {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `cells: ${seconds} s each (BENCH_SECONDS), ${rounds} round(s) (BENCH_ROUNDS); data in ${tmp}\n`,
  );

  const strata = await spawnStrata({
    dataDir: path.join(tmp, 'strata'),
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
  });
  children.strata = strata;
  const baseline = await spawnBaseline(path.join(tmp, 'baseline'));
  children.baseline = baseline;
  const opts = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, region: 'us-east-1', maxSockets: 16 };
  const targets: Target[] = [
    { name: 'strata', client: new BenchClient({ ...opts, endpoint: strata.endpoint }), pid: strata.pid },
    {
      name: 'baseline',
      client: new BenchClient({ ...opts, endpoint: baseline.endpoint }),
      pid: baseline.pid,
    },
  ];
  const pids = targets.map((t) => t.pid);
  for (const t of targets) await t.client.request('PUT', '/bench');

  const rows: Row[] = [];
  for (const s of SIZES.filter((x) => sizeLabels.includes(x.label.replace(' ', '')))) {
    for (const c of CONCURRENCY) {
      const spec: CellSpec = { size: s.size, concurrency: c, seconds, maxObjects: s.maxObjects[c] };
      const put: [CellResult[], CellResult[]] = [[], []];
      const get: [CellResult[], CellResult[]] = [[], []];
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, and let each server finish its background work
        // (Strata's event processing) before the other one is measured.
        for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
          await waitUntilQuiet(pids);
          const [p, g] = await measure(targets[i]!, spec, `bench/${s.label.replace(' ', '')}-c${c}-r${r}`);
          put[i]!.push(p);
          get[i]!.push(g);
        }
      }
      for (const [op, [sr, br]] of [['PUT', put] as const, ['GET', get] as const]) {
        const row = formatCell(s.label, op, c, s.size, sr, br);
        rows.push(row);
        console.log(
          `  ${row.size} ${row.op} c${row.concurrency}: strata ${row.strata} | baseline ${row.baseline} | ${row.ratio}`,
        );
      }
    }
  }
  console.log('');
  printTable(rows);

  if (memoryMiB <= 0) {
    for (const t of targets) t.client.close();
    return;
  }
  console.log(`\nmemory: PUT + GET of a ${memoryMiB} MiB object through Strata, RSS sampled every 50 ms`);
  // No wait for quiet here: the RSS the server keeps right after the cells is part of what is measured.
  const before = rssOf(strata.pid) ?? NaN;
  const m = await memoryCheck(targets[0]!.client, strata.pid, '/bench/memory-check', memoryMiB * MiB);
  const peakMB = m.peakRssBytes / 1e6;
  console.log(`  RSS before: ${(before / 1e6).toFixed(1)} MB`);
  console.log(
    `  PUT ${(m.size / 1e6 / m.putSeconds).toFixed(0)} MB/s, GET ${(m.size / 1e6 / m.getSeconds).toFixed(0)} MB/s, ` +
      `content ${m.intact ? 'intact (sha256 matches)' : 'CORRUPTED'}`,
  );
  console.log(`  peak RSS: ${peakMB.toFixed(1)} MB — ${peakMB < 200 ? 'under' : 'NOT under'} 200 MB`);
  for (const t of targets) t.client.close();
  if (!m.intact) throw new Error('the large object did not read back intact');
}

async function stopAll(children: { strata?: StrataProcess; baseline?: BaselineProcess }): Promise<void> {
  const stop = async (kill: (s: NodeJS.Signals) => Promise<unknown>) => {
    const timer = setTimeout(() => void kill('SIGKILL'), 5000);
    await kill('SIGTERM');
    clearTimeout(timer);
  };
  await Promise.all([
    children.strata && stop((s) => children.strata!.kill(s)),
    children.baseline && stop((s) => children.baseline!.kill(s)),
  ]);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-'));
const children: { strata?: StrataProcess; baseline?: BaselineProcess } = {};
let cleaned = false;
const cleanup = async () => {
  if (cleaned) return;
  cleaned = true;
  await stopAll(children).catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  await main(tmp, children);
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  if (children.strata) console.error(`strata output:\n${children.strata.output()}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
