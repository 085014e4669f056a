import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { sendBody } from './send-body.js';

/** A real server whose one handler streams `makeBody()`; reports how sendBody settled. */
async function serve(makeBody: () => Readable, recycle?: (chunk: Buffer) => void) {
  const outcome: { body?: Readable; result?: Promise<string> } = {};
  const server = http.createServer((_req, res) => {
    const body = makeBody();
    outcome.body = body;
    res.setHeader('content-type', 'application/octet-stream');
    outcome.result = sendBody(body, res, recycle).then(
      () => 'resolved',
      (e: NodeJS.ErrnoException) => `rejected ${e.code ?? e.message}`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { port, outcome, close: () => new Promise((r) => server.close(r)) };
}

function get(port: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, resolve).on('error', reject);
  });
}

async function readAll(res: http.IncomingMessage): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of res) chunks.push(c as Buffer);
  } catch {
    return { bytes: Buffer.concat(chunks), complete: false };
  }
  return { bytes: Buffer.concat(chunks), complete: res.complete };
}

describe('sendBody', () => {
  it('delivers every byte and resolves', async () => {
    const data = Buffer.alloc(300_000, 7);
    const s = await serve(() => Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]));
    try {
      const { bytes, complete } = await readAll(await get(s.port));
      assert.equal(complete, true);
      assert.deepEqual(bytes, data);
      assert.equal(await s.outcome.result, 'resolved');
    } finally {
      await s.close();
    }
  });

  it('a body that fails midway cuts the response and rejects with its error', async () => {
    const s = await serve(() => {
      const p = new PassThrough();
      p.write(Buffer.alloc(1000, 1));
      setImmediate(() => p.destroy(Object.assign(new Error('disk gone'), { code: 'EIO' })));
      return p;
    });
    try {
      const { complete } = await readAll(await get(s.port));
      assert.equal(complete, false);
      assert.equal(await s.outcome.result, 'rejected EIO');
    } finally {
      await s.close();
    }
  });

  it('a body destroyed without an error (aborted read) does not leave the response hanging', async () => {
    const s = await serve(() => {
      const p = new PassThrough();
      p.write(Buffer.alloc(1000, 1));
      setImmediate(() => p.destroy());
      return p;
    });
    try {
      const { complete } = await readAll(await get(s.port));
      assert.equal(complete, false);
      assert.equal(await s.outcome.result, 'rejected ERR_STREAM_PREMATURE_CLOSE');
    } finally {
      await s.close();
    }
  });

  it('a client that goes away mid-body gets its body stream destroyed', async () => {
    // An endless body: only the client leaving can stop it.
    const s = await serve(
      () =>
        new Readable({
          read() {
            this.push(Buffer.alloc(64 * 1024, 2));
          },
        }),
    );
    try {
      const res = await get(s.port);
      await once(res, 'data');
      res.destroy();
      assert.equal(await s.outcome.result, 'rejected ERR_STREAM_PREMATURE_CLOSE');
      assert.equal(s.outcome.body?.destroyed, true);
    } finally {
      await s.close();
    }
  });

  it('gives each chunk back once the socket has taken it: overwriting it then changes nothing sent', async () => {
    const chunks = Array.from({ length: 400 }, (_, i) => Buffer.alloc(64 * 1024, (i % 255) + 1));
    const expected = Buffer.concat(chunks);
    const recycled: Buffer[] = [];
    const s = await serve(
      () => Readable.from(chunks),
      (chunk) => {
        recycled.push(chunk);
        chunk.fill(0); // what a reused read buffer would do
      },
    );
    try {
      const res = await get(s.port);
      // A client that reads slowly: the socket fills up and sendBody must wait for it.
      res.pause();
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(recycled.length < chunks.length, `${recycled.length} given back before the client read`);
      res.resume();
      const { bytes, complete } = await readAll(res);
      assert.equal(complete, true);
      assert.ok(bytes.equals(expected), 'the client received every chunk as it was written');
      assert.equal(await s.outcome.result, 'resolved');
      assert.equal(recycled.length, chunks.length);
      assert.deepEqual(new Set(recycled), new Set(chunks));
    } finally {
      await s.close();
    }
  });
});
