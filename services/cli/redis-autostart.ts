/**
 * Redis for `strata serve` on a laptop: when nothing answers at
 * config.redisUrl and `redis-server` is on the PATH, start one as a child
 * process with its files under <data-dir>/redis (append-only file on, so
 * queued jobs survive a restart), and stop it when serve stops. Only for a
 * local URL: a remote Redis that does not answer is an error, never replaced.
 * If serve is killed with SIGKILL the child outlives it; the next serve finds
 * it answering and uses it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { redactUrl } from '../../shared/bus/redis.js';
import type { Config } from '../../shared/config.js';
import type { Logger } from '../../shared/logger.js';

export interface ManagedRedis {
  readonly pid: number;
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when a Redis at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** The full path of `name` on the PATH, if any. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function noRedisMessage(url: string, reason: string): string {
  return [
    `no Redis answers at ${redactUrl(url)} (${reason}).`,
    'Strata needs Redis for its job bus and live events. Either install it, and "strata serve"',
    'starts one itself (files under <data-dir>/redis):',
    '  apt-get install redis-server      (Debian, Ubuntu)',
    '  brew install redis                (macOS)',
    'or point Strata at a running one: STRATA_REDIS_URL=redis://host:6379 (or --redis-url).',
  ].join('\n');
}

/**
 * Makes sure Redis answers at config.redisUrl: returns undefined when one
 * already does, the started child otherwise; throws with how to get Redis.
 */
export async function ensureRedis(
  config: Config,
  pathVar: string | undefined,
  log: Logger,
): Promise<ManagedRedis | undefined> {
  if (await redisAnswers(config.redisUrl)) return undefined;
  const url = new URL(config.redisUrl);
  if (!LOCAL_HOSTS.has(url.hostname) || url.protocol !== 'redis:') {
    throw new Error(noRedisMessage(config.redisUrl, 'and it is not on this machine, so none is started'));
  }
  const bin = findOnPath('redis-server', pathVar);
  if (!bin) throw new Error(noRedisMessage(config.redisUrl, 'and redis-server is not installed'));
  const dir = path.join(config.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const port = url.port === '' ? '6379' : url.port;
  const args = ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''];
  if (url.password) args.push('--requirepass', decodeURIComponent(url.password));
  log.info('starting redis-server', { port, dir });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(config.redisUrl, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`redis-server did not start:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid!,
    stop: () => stopChild(child, exited),
  };
}

/** SIGTERM (redis-server then writes its files and exits), SIGKILL if it takes too long. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
