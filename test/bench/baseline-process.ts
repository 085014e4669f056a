/** Starts baseline-server.js as a child process on a free port and waits until it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/strata-process.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline-server.js');

export interface BaselineProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly endpoint: string;
  kill(signal: NodeJS.Signals): Promise<unknown>;
}

export async function spawnBaseline(dir: string, timeoutMs = 10_000): Promise<BaselineProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [script, dir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let dead = false;
  void exited.then(() => (dead = true));
  const proc: BaselineProcess = {
    child,
    pid: child.pid!,
    endpoint: `http://127.0.0.1:${port}`,
    kill(signal) {
      if (!dead) child.kill(signal);
      return exited;
    },
  };
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('listening')) resolve();
    });
    void exited.then(() => reject(new Error('baseline server exited before listening')));
    setTimeout(() => reject(new Error('baseline server did not start in time')), timeoutMs).unref();
  });
  try {
    await ready;
  } catch (e) {
    await proc.kill('SIGKILL');
    throw e;
  }
  return proc;
}
