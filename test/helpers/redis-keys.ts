/** Removing a test's Redis keys (everything under its own STRATA_REDIS_PREFIX). */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Deletes every Redis key under `prefix`, so nothing is left in a shared Redis.
 * Never throws (cleanup must not fail a test).
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis is gone (a test may have stopped its own): nothing to clean.
  } finally {
    redis.disconnect();
  }
}
