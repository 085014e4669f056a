/**
 * A hashing thread of the HashPool (hash-pool.ts): keeps one MD5 and
 * checksum state per body, fed with the bytes the request thread moves here.
 * Every update is acknowledged with its size, which the pool uses to bound
 * the bytes waiting to be hashed.
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
      const data = Buffer.from(m.data);
      bodies.get(m.id)?.update([data]);
      port.postMessage({ op: 'updated', id: m.id, bytes: data.length } satisfies HashReply);
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
