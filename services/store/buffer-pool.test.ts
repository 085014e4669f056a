import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool, KEPT_AFTER_BURST } from './buffer-pool.js';

describe('BufferPool', () => {
  it('reuses what is given back, up to its limit, and keeps a couple once shrunk', () => {
    const pool = new BufferPool(1024, 4);
    const lent = Array.from({ length: 6 }, () => pool.take());
    for (const b of lent) pool.give(b);
    assert.equal(pool.freeCount, 4, 'kept up to its limit');
    // The two beyond the limit were let go: their memory is gone from their views.
    assert.deepEqual(
      lent.map((b) => b.length),
      [1024, 1024, 1024, 1024, 0, 0],
    );
    const again = pool.take();
    assert.ok(
      lent.some((b) => b.buffer === again.buffer),
      'a given-back buffer was reused',
    );
    pool.give(again);
    pool.shrink();
    assert.equal(pool.freeCount, KEPT_AFTER_BURST);
    assert.equal(lent.filter((b) => b.length === 1024).length, KEPT_AFTER_BURST);
    pool.give(Buffer.alloc(1024)); // not one it lent: ignored
    assert.equal(pool.freeCount, KEPT_AFTER_BURST);
  });
});
