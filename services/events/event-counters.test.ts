import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteRedisKeys, TEST_REDIS_URL } from '../../test/helpers/redis-keys.js';
import { countEvents, groupEventCounts, readEventCounts } from './event-counters.js';

describe('event counters', () => {
  const prefix = `test-counters-${randomUUID()}`;
  let redis: Redis;
  before(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  after(async () => {
    redis.disconnect();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  const ev = (id: number, bucket: string, eventName = 'ObjectCreated:Put') => ({ id, bucket, eventName });

  it('groups events by bucket and event name, in order of first appearance', () => {
    assert.deepEqual(
      groupEventCounts([ev(1, 'a'), ev(2, 'b'), ev(3, 'a', 'ObjectRemoved:Delete'), ev(4, 'a')]),
      [
        { bucket: 'a', eventName: 'ObjectCreated:Put', eventIds: [1, 4] },
        { bucket: 'b', eventName: 'ObjectCreated:Put', eventIds: [2] },
        { bucket: 'a', eventName: 'ObjectRemoved:Delete', eventIds: [3] },
      ],
    );
  });

  it('counts each event id once, however the batches that carry it are cut', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    const first = groupEventCounts([ev(1, a), ev(2, a), ev(3, b, 'ObjectAccessed:Get'), ev(4, a)]);
    assert.equal(await countEvents(redis, prefix, first), 4);
    assert.equal(await countEvents(redis, prefix, first), 0, 'the same batch again counts nothing');
    // A replay cut differently: 3 and 4 again, 5 and 6 new.
    const replay = groupEventCounts([ev(3, b, 'ObjectAccessed:Get'), ev(4, a), ev(5, a), ev(6, b)]);
    assert.equal(await countEvents(redis, prefix, replay), 2);
    assert.deepEqual(await readEventCounts(redis, prefix, a), { 'ObjectCreated:Put': 4 });
    assert.deepEqual(await readEventCounts(redis, prefix, b), {
      'ObjectAccessed:Get': 1,
      'ObjectCreated:Put': 1,
    });
  });

  it('ids on both sides of a bitmap boundary, and far apart, are distinct; the memory expires', async () => {
    const c = `c-${randomUUID()}`;
    const ids = [65_535, 65_536, 65_537, 131_072, 10_000_000];
    const groups = groupEventCounts(ids.map((id) => ev(id, c)));
    assert.equal(await countEvents(redis, prefix, groups), ids.length);
    assert.equal(await countEvents(redis, prefix, groups), 0);
    assert.deepEqual(await readEventCounts(redis, prefix, c), { 'ObjectCreated:Put': ids.length });
    const keys = await redis.keys(`${prefix}:events-counted:*`);
    assert.ok(keys.length >= 4);
    for (const k of keys) assert.ok((await redis.ttl(k)) > 0, `${k} expires`);
  });

  it('an empty batch does nothing', async () => {
    assert.equal(await countEvents(redis, prefix, []), 0);
    assert.equal(await countEvents(redis, prefix, [{ bucket: 'x', eventName: 'E', eventIds: [] }]), 0);
  });
});
