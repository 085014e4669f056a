import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelectRequest } from '../request.js';
import type { ChunkJob } from './scan-chunk.js';
import { ScanPool } from './scan-pool.js';

const request = parseSelectRequest(
  '<SelectObjectContentRequest><Expression>SELECT s.b FROM S3Object s WHERE CAST(s.a AS INT) &gt; 1</Expression>' +
    '<ExpressionType>SQL</ExpressionType><InputSerialization><CSV><FileHeaderInfo>USE</FileHeaderInfo></CSV>' +
    '</InputSerialization><OutputSerialization><CSV/></OutputSerialization></SelectObjectContentRequest>',
);

function job(text: string, offset: number, header?: string): { job: ChunkJob; transfer: ArrayBuffer[] } {
  const bytes = new Uint8Array(Buffer.from(text));
  return {
    job: {
      expression: request.expression,
      input: request.input,
      output: request.output,
      offset,
      bytes,
      header: header === undefined ? undefined : Buffer.from(header),
      mode: 'rows',
    },
    transfer: [bytes.buffer],
  };
}

describe('ScanPool: pieces of a select on worker threads', () => {
  it('runs pieces on threads, the header coming from the object start, and fails jobs once closed', async () => {
    const pool = new ScanPool({ threads: 2 });
    try {
      const first = job('a,b\n1,x\n2,y\n', 0);
      const later = job('3,z\n0,w\n5,"v, w"\n', 12, 'a,b\n');
      const [r1, r2] = await Promise.all([
        pool.run(first.job, first.transfer),
        pool.run(later.job, later.transfer),
      ]);
      assert.equal(Buffer.from(r1.output!).toString(), 'y\n');
      assert.equal(Buffer.from(r2.output!).toString(), 'z\n"v, w"\n');
      const bad = job('x,1\n', 12, 'a,b\n');
      const r3 = await pool.run(bad.job, bad.transfer);
      assert.equal(r3.error?.code, 'CastFailed');
    } finally {
      await pool.close();
    }
    const after = job('a,b\n', 0);
    await assert.rejects(pool.run(after.job, after.transfer), { code: 'InternalError' });
    await pool.close();
  });

  it('stops threads that have had no work for a while, and starts fresh ones when work comes', async () => {
    const pool = new ScanPool({ threads: 2, idleStopMs: 200 });
    try {
      const a = job('a,b\n2,x\n', 0);
      const b = job('3,y\n', 8, 'a,b\n');
      await Promise.all([pool.run(a.job, a.transfer), pool.run(b.job, b.transfer)]);
      assert.ok(pool.liveThreads >= 1, 'threads are kept a while after their work');
      const deadline = Date.now() + 5000;
      while (pool.liveThreads > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(pool.liveThreads, 0);
      // No thread is left: this piece runs on a fresh one.
      const c = job('a,b\n4,z\n', 0);
      assert.equal(Buffer.from((await pool.run(c.job, c.transfer)).output!).toString(), 'z\n');
    } finally {
      await pool.close();
    }
  });
});
