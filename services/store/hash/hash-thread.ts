/**
 * A hashing thread of the HashPool (hash-pool.ts): keeps one MD5 and
 * checksum state per body, fed with the bytes the request thread moves here.
 * Every update is acknowledged by moving its buffer back: the pool reuses
 * it, and counts the bytes still waiting to be hashed.
 */
import { parentPort } from 'node:worker_threads';
import { InlineHasher } from './body-hasher.js';
import type { HashReply, HashRequest } from './hash-pool.js';

const port = parentPort;
if (!port) throw new Error('hash-thread.js runs as a worker thread');

const bodies = new Map<number, InlineHasher>();

port.on('message', (m: HashRequest) => {
  switch (m.op) {
    case 'open':
      bodies.set(m.id, new InlineHasher(m.alg));
      return;
    case 'update': {
      bodies.get(m.id)?.update([Buffer.from(m.data, 0, m.length)]);
      // The buffer goes back, to carry a later batch.
      const reply: HashReply = { op: 'updated', id: m.id, data: m.data, length: m.length };
      port.postMessage(reply, [m.data]);
      return;
    }
    case 'digest': {
      const h = bodies.get(m.id);
      bodies.delete(m.id);
      if (!h) return;
      void h.digest().then((d) => {
        const reply: HashReply = { op: 'digest', id: m.id, md5: d.md5, checksum: d.checksum };
        port.postMessage(reply);
      });
      return;
    }
    case 'drop':
      bodies.delete(m.id);
      return;
  }
});
