/**
 * Runs `strata serve` (or `strata worker`) as a real child process (the
 * compiled CLI), for tests and benchmarks that need to kill it, restart it or
 * measure its memory. `serve` relays events to Redis: unless the caller names
 * STRATA_REDIS_PREFIX, each spawn gets a unique prefix, so parallel test files
 * never share queues.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, TEST_REDIS_URL } from './redis-keys.js';

/** dist/services/cli/main.js, seen from dist/test/helpers/. */
export const strataMain = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../services/cli/main.js',
);

export interface StrataProcessOptions {
  readonly dataDir: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Defaults to a free port. */
  readonly port?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  /** Extra arguments of `strata serve`, e.g. ['--no-workers']. */
  readonly args?: readonly string[];
}

export interface StrataProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
  /** What the server wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (SIGKILL for a crash) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function spawnStrata(opts: StrataProcessOptions): Promise<StrataProcess> {
  const port = opts.port ?? (await freePort());
  const ownPrefix = opts.env?.['STRATA_REDIS_PREFIX'] === undefined ? `test-${randomUUID()}` : undefined;
  // STRATA_BENCH_CPU_PROF=dir: each server writes a V8 CPU profile there when it exits (benchmarks).
  const profDir = process.env['STRATA_BENCH_CPU_PROF'];
  // The young generation's size as `npm start` sets it (package.json; deploy/README.md "Memory").
  const nodeArgs = [
    '--max-semi-space-size=8',
    ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
  ];
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--enable-source-maps', strataMain, 'serve', ...(opts.args ?? [])],
    {
      env: {
        // As `npm start` runs the server (package.json; deploy/README.md "Memory").
        MALLOC_MMAP_THRESHOLD_: '1114112',
        ...process.env,
        STRATA_PORT: String(port),
        STRATA_HOST: '127.0.0.1',
        STRATA_DATA_DIR: opts.dataDir,
        STRATA_ACCESS_KEY: opts.accessKey,
        STRATA_SECRET_KEY: opts.secretKey,
        STRATA_LOG_LEVEL: 'warn',
        ...(ownPrefix === undefined ? {} : { STRATA_REDIS_PREFIX: ownPrefix }),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A generated prefix is this process's alone: its keys go when it exits.
  const redisUrl = opts.env?.['STRATA_REDIS_URL'] ?? process.env['STRATA_REDIS_URL'] ?? TEST_REDIS_URL;
  const cleanup = ownPrefix === undefined ? undefined : () => deleteRedisKeys(redisUrl, ownPrefix);
  const { output, exited, kill, isDead } = watch(child, cleanup);
  const endpoint = `http://127.0.0.1:${port}`;
  const proc: StrataProcess = { child, pid: child.pid!, port, endpoint, output, exited, kill };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (isDead()) throw new Error(`strata exited before it was ready:\n${output()}`);
    if (await healthy(endpoint)) return proc;
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL');
      throw new Error(`strata was not healthy within the deadline:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface WorkerProcessOptions {
  readonly dataDir: string;
  /** STRATA_REDIS_PREFIX (and STRATA_REDIS_URL …) must match the gateway's. */
  readonly env: Readonly<Record<string, string>>;
  /** --queues; all when omitted. */
  readonly queues?: readonly string[];
  readonly readyTimeoutMs?: number;
}

export type WorkerProcess = Omit<StrataProcess, 'port' | 'endpoint'>;

/** Runs `strata worker` and resolves once it printed its ready line. */
export async function spawnStrataWorker(opts: WorkerProcessOptions): Promise<WorkerProcess> {
  const args = opts.queues ? ['--queues', opts.queues.join(',')] : [];
  const child = spawn(process.execPath, ['--enable-source-maps', strataMain, 'worker', ...args], {
    env: { ...process.env, STRATA_DATA_DIR: opts.dataDir, STRATA_LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited, kill, isDead } = watch(child);
  const proc: WorkerProcess = { child, pid: child.pid!, output, exited, kill };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  while (!output().includes('strata worker ready')) {
    if (isDead()) throw new Error(`strata worker exited before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL');
      throw new Error(`strata worker was not ready within the deadline:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function watch(
  child: ChildProcess,
  afterExit?: () => Promise<void>,
): {
  output: () => string;
  exited: Promise<Exit>;
  kill: (signal: NodeJS.Signals) => Promise<Exit>;
  isDead: () => boolean;
} {
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      void (afterExit?.() ?? Promise.resolve()).then(() => resolve({ code, signal }));
    });
  });
  let dead = false;
  void exited.then(() => (dead = true));
  return {
    output: () => output,
    exited,
    kill(signal) {
      if (!dead) child.kill(signal);
      return exited;
    },
    isDead: () => dead,
  };
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/_strata/health`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
