import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('hands values to a waiting reader, then buffers them in order', async () => {
    const q = new EventQueue<number>(10, () => undefined);
    const first = q.next();
    q.push(1);
    q.push(2);
    q.push(3);
    assert.deepEqual(await first, { value: 1, done: false });
    assert.deepEqual(await q.next(), { value: 2, done: false });
    assert.deepEqual(await q.next(), { value: 3, done: false });
  });

  it('drops the oldest values beyond its capacity and counts them', async () => {
    const q = new EventQueue<number>(2, () => undefined);
    for (const n of [1, 2, 3, 4]) q.push(n);
    assert.equal(q.dropped, 2);
    assert.deepEqual(await q.next(), { value: 3, done: false });
    assert.deepEqual(await q.next(), { value: 4, done: false });
  });

  it('return() ends waiting readers and calls onClose once', async () => {
    let closed = 0;
    const q = new EventQueue<number>(2, () => closed++);
    const waiting = q.next();
    await q.return();
    q.end();
    q.push(5);
    assert.deepEqual(await waiting, { value: undefined, done: true });
    assert.deepEqual(await q.next(), { value: undefined, done: true });
    assert.equal(closed, 1);
  });
});
