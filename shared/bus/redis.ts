/**
 * Redis connections of the job bus, made from config.redisUrl. Nothing here
 * connects at import time. Three roles, because BullMQ and the relay need
 * different failure behaviour:
 * - 'producer' (the relay's queues and PUBLISH): no offline queue and one try
 *   per command, so while Redis is down a command fails at once and the relay
 *   backs off, instead of piling commands up in memory;
 * - 'worker': maxRetriesPerRequest null, as BullMQ requires for workers
 *   (https://docs.bullmq.io/guide/going-to-production#maxretriesperrequest);
 * - 'subscriber': pub/sub listeners; resubscribe after a reconnect.
 * All reconnect forever with a capped backoff.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';

export type RedisRole = 'producer' | 'worker' | 'subscriber';

const ROLE_OPTIONS: Readonly<Record<RedisRole, RedisOptions>> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  worker: { enableOfflineQueue: true, maxRetriesPerRequest: null },
  subscriber: { enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true },
};

export interface RedisFactoryOptions {
  readonly log?: Logger;
  /** Shown in CLIENT LIST, e.g. "strata-relay". */
  readonly name?: string;
}

export function createRedis(url: string, role: RedisRole, opts: RedisFactoryOptions = {}): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[role],
    connectionName: opts.name,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 2000),
  });
  // Without a listener ioredis prints every failed reconnect; log the first of each outage only.
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    opts.log?.warn('redis unavailable', { url: redactUrl(url), role, err: err.message });
  });
  redis.on('ready', () => {
    if (down) opts.log?.info('redis available again', { url: redactUrl(url), role });
    down = false;
  });
  return redis;
}

/** Waits until `redis` is connected, or rejects after `timeoutMs`. */
export async function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** Closes a connection: QUIT when connected, otherwise just disconnect. Never throws. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
