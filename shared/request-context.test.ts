import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bindToRequest,
  clientAddress,
  currentOrigin,
  currentScope,
  newRequestId,
  runInRequest,
  setRequestPrincipal,
} from './request-context.js';

describe('request context', () => {
  const scope = { requestId: 'REQ1', principalId: 'alice', sourceIp: '10.1.2.3', operation: 'PutObject' };

  it('follows the request through awaits and timers, and only that request', async () => {
    const seen = await runInRequest(scope, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return new Promise<unknown>((resolve) => setImmediate(() => resolve(currentOrigin())));
    });
    assert.deepEqual(seen, { requestId: 'REQ1', principalId: 'alice', sourceIp: '10.1.2.3' });
    assert.equal(currentScope(), undefined);
  });

  it('outside a request: the system principal, loopback, a fresh request id', () => {
    const a = currentOrigin();
    const b = currentOrigin();
    assert.equal(a.principalId, 'strata');
    assert.equal(a.sourceIp, '127.0.0.1');
    assert.match(a.requestId, /^[0-9A-F]{16}$/);
    assert.notEqual(a.requestId, b.requestId);
  });

  it('request ids stay well-formed and distinct across refills of their random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newRequestId();
      assert.match(id, /^[0-9A-F]{16}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 2000);
  });

  it('setRequestPrincipal names the user of a self-authenticating request', () => {
    runInRequest({ ...scope, principalId: 'anonymous' }, () => {
      setRequestPrincipal('bob');
      assert.equal(currentOrigin().principalId, 'bob');
      assert.equal(currentScope()?.operation, 'PutObject');
    });
    setRequestPrincipal('nobody'); // outside a request: no effect
    assert.equal(currentOrigin().principalId, 'strata');
  });

  it('bindToRequest runs a function in the request it was bound in, wherever it is called', () => {
    const other = { ...scope, requestId: 'REQ2', principalId: 'bob' };
    const inA = runInRequest(scope, () => bindToRequest((x: number) => [x, currentScope()?.requestId]));
    const outside = bindToRequest(() => currentScope());
    runInRequest(other, () => {
      assert.deepEqual(inA(7), [7, 'REQ1']);
      assert.equal(outside(), undefined, 'bound outside any request: called outside one');
      assert.equal(currentScope()?.requestId, 'REQ2', 'the caller keeps its own request');
    });
    assert.deepEqual(inA(1), [1, 'REQ1']);
    // The bound function sees the request as it is when called (a principal set later).
    const late = runInRequest({ ...scope, principalId: 'anonymous' }, () => {
      const f = bindToRequest(() => currentOrigin().principalId);
      setRequestPrincipal('carol');
      return f;
    });
    assert.equal(late(), 'carol');
  });

  for (const [remote, want] of [
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['127.0.0.1', '127.0.0.1'],
    [undefined, '127.0.0.1'],
  ] as const) {
    it(`client address ${String(remote)} → ${want}`, () => assert.equal(clientAddress(remote), want));
  }
});
