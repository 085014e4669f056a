import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededBytes } from '../../../test/helpers/seeded-random.js';
import { FileReadStream } from './file-read-stream.js';
import { BufferPool } from '../buffer-pool.js';

const CHUNK = 64 * 1024;

async function collect(stream: FileReadStream): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return chunks;
}

/** Open descriptors of this process (Linux), to see that streams close theirs. */
function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

describe('FileReadStream', () => {
  let dir: string;
  let file: string;
  const data = seededBytes(7, 5 * CHUNK + 1234);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-frs-'));
    file = path.join(dir, 'blob');
    fs.writeFileSync(file, data);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads any range, whole chunks into lent buffers and the rest into buffers of their own', async () => {
    const buffers = new BufferPool(CHUNK, 4);
    for (const [start, end] of [
      [0, data.length - 1],
      [0, 0],
      [5, CHUNK - 1],
      [CHUNK - 10, 3 * CHUNK + 10],
      [data.length - 100, data.length - 1],
    ] as const) {
      const chunks = await collect(new FileReadStream(file, start, end, buffers));
      assert.deepEqual(Buffer.concat(chunks), data.subarray(start, end + 1), `${start}..${end}`);
      for (const c of chunks.slice(0, -1)) assert.equal(c.length, CHUNK);
    }
  });

  it('reuses a buffer once it is given back, and only then', async () => {
    const buffers = new BufferPool(CHUNK, 4);
    const first = await collect(new FileReadStream(file, 0, 2 * CHUNK - 1, buffers));
    assert.notEqual(first[0]!.buffer, first[1]!.buffer);
    buffers.give(first[0]!);
    buffers.give(first[0]!); // a second give changes nothing
    buffers.give(Buffer.alloc(CHUNK)); // nor does a buffer it did not lend
    assert.equal(buffers.freeCount, 1);
    const second = await collect(new FileReadStream(file, CHUNK, 3 * CHUNK - 1, buffers));
    assert.equal(second[0]!.buffer, first[0]!.buffer);
    assert.notEqual(second[1]!.buffer, first[1]!.buffer);
    // The reused buffer holds the new bytes; the one still lent kept the old ones.
    assert.deepEqual(Buffer.concat(second), data.subarray(CHUNK, 3 * CHUNK));
    assert.deepEqual(first[1], data.subarray(CHUNK, 2 * CHUNK));
  });

  it('keeps at most maxFree buffers', () => {
    const buffers = new BufferPool(CHUNK, 2);
    const lent = [buffers.take(), buffers.take(), buffers.take()];
    for (const b of lent) buffers.give(b.subarray(0, 10));
    assert.equal(buffers.freeCount, 2);
  });

  it('ends early on a file shorter than the range, as fs.createReadStream does', async () => {
    const chunks = await collect(
      new FileReadStream(file, data.length - 10, data.length + 5000, new BufferPool(CHUNK, 4)),
    );
    assert.deepEqual(Buffer.concat(chunks), data.subarray(data.length - 10));
  });

  it('fails with ENOENT for a missing file', async () => {
    const s = new FileReadStream(path.join(dir, 'missing'), 0, 10, new BufferPool(CHUNK, 4));
    await assert.rejects(collect(s), { code: 'ENOENT' });
  });

  it('closes its file when it ends and when it is destroyed mid-read', async () => {
    const fds = openFds();
    await collect(new FileReadStream(file, 0, data.length - 1, new BufferPool(CHUNK, 4)));
    const s = new FileReadStream(file, 0, data.length - 1, new BufferPool(CHUNK, 4));
    await new Promise<void>((resolve) => s.once('data', () => resolve()));
    s.destroy();
    await new Promise<void>((resolve) => s.once('close', () => resolve()));
    assert.equal(openFds(), fds);
  });
});
