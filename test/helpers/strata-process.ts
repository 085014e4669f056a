/**
 * Runs `strata serve` as a real child process (the compiled CLI), for tests
 * and benchmarks that need to kill it, restart it or measure its memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const child = spawn(process.execPath, ['--enable-source-maps', strataMain, 'serve'], {
    env: {
      ...process.env,
      STRATA_PORT: String(port),
      STRATA_HOST: '127.0.0.1',
      STRATA_DATA_DIR: opts.dataDir,
      STRATA_ACCESS_KEY: opts.accessKey,
      STRATA_SECRET_KEY: opts.secretKey,
      STRATA_LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let dead = false;
  void exited.then(() => (dead = true));
  const endpoint = `http://127.0.0.1:${port}`;
  const proc: StrataProcess = {
    child,
    pid: child.pid!,
    port,
    endpoint,
    output: () => output,
    exited,
    kill(signal) {
      if (!dead) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (dead) throw new Error(`strata exited before it was ready:\n${output}`);
    if (await healthy(endpoint)) return proc;
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL');
      throw new Error(`strata was not healthy within the deadline:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
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
