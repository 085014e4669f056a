import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { coalesceWrites, wantsEventStream } from './coalesced-writes.js';

describe('coalesced event-stream writes', () => {
  it('holds the writes of one turn and sends them together at its end, and later ones too', async () => {
    const corkedDuringTurn: number[] = [];
    const corkedAfterTurn: number[] = [];
    const server = http.createServer((_req, res) => {
      coalesceWrites(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('a\n');
      res.write('b\n');
      corkedDuringTurn.push(res.writableCorked);
      setImmediate(() => {
        corkedAfterTurn.push(res.writableCorked);
        setTimeout(() => {
          res.write('c\n');
          res.end();
        }, 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      assert.equal(await res.text(), 'a\nb\nc\n');
      assert.deepEqual(corkedDuringTurn, [1], 'corked once, however many writes');
      assert.deepEqual(corkedAfterTurn, [0], 'uncorked when the turn is over');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const cases: [string | undefined, boolean][] = [
    ['text/event-stream', true],
    ['application/json, text/event-stream', true],
    ['application/graphql-response+json', false],
    [undefined, false],
  ];
  for (const [accept, expected] of cases) {
    it(`Accept ${String(accept)}: ${expected ? '' : 'not '}an event stream`, () =>
      assert.equal(wantsEventStream(accept), expected));
  }
});
