/**
 * `strata worker [--queues a,b]`: runs job workers only — of every queue, or
 * of the listed ones — for scale-out next to `strata serve --no-workers`.
 * Opens the store of the data dir (jobs call services that read it), waits
 * for Redis, prints one "ready" line, and on SIGINT / SIGTERM stops taking
 * jobs and lets the active ones finish (a second signal exits at once).
 */
import { loadConfig, type Flags } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { untilSignal } from './until-signal.js';
import { createEventPipeline } from '../server/event-pipeline.js';
import { createStore } from '../store/index.js';
import { QUEUES } from '../../workers/registry.js';
import { UsageError } from './args.js';
import { noRedisMessage, redisAnswers } from './redis-autostart.js';

/** The queues named by --queues (undefined: all); a UsageError lists the valid names. */
export function parseQueues(flag: string | boolean | undefined): string[] | undefined {
  if (flag === undefined) return undefined;
  const names = String(flag)
    .split(',')
    .map((q) => q.trim())
    .filter((q) => q !== '');
  if (names.length === 0) throw new UsageError('--queues needs at least one queue name', 'worker');
  for (const q of names) {
    if (!QUEUES.includes(q))
      throw new UsageError(`unknown queue "${q}"; queues: ${QUEUES.join(', ')}`, 'worker');
  }
  return [...new Set(names)];
}

export async function worker(env: NodeJS.ProcessEnv, flags: Flags): Promise<number> {
  const queues = parseQueues(flags['queues']);
  const config = loadConfig(env, flags);
  const log = createLogger(config.logLevel);
  if (!(await redisAnswers(config.redisUrl, 2000))) {
    throw new Error(noRedisMessage(config.redisUrl, 'workers do not start one; "strata serve" does'));
  }
  const store = createStore({ dataDir: config.dataDir, log, region: config.region, ownsDataDir: false });
  await store.ready();
  const pipeline = createEventPipeline(config, log, store, { relay: false, workers: queues ?? true });
  try {
    await pipeline.ready();
  } catch (e) {
    await pipeline.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
  const names = pipeline.workers?.queues() ?? [];
  process.stdout.write(`strata worker ready: queues ${names.join(', ')}\n`);
  log.info('strata worker ready', { queues: names.join(','), dataDir: config.dataDir });

  return untilSignal(log, 'draining workers', async () => {
    const errs: unknown[] = [];
    await pipeline.close().catch((e: unknown) => errs.push(e));
    await store.close().catch((e: unknown) => errs.push(e));
    return errs;
  });
}
