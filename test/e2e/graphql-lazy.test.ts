/**
 * GraphQL (yoga, graphql-js, the WebSocket server) is loaded by the first
 * request to /_strata/graphql, not at start: a node that only serves S3 does
 * not carry it, and whichever request comes first — a query over HTTP, a
 * WebSocket, several at once — is answered as on a node that loaded it long
 * ago.
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { gql, gqlData, wsClient, wsSubscribe } from './graphql-kit.js';

/** Sends an upgrade request for `path` and returns the status the server answers with. */
function upgradeStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GraphQL loaded on first use', () => {
  let t: TestStrata | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is not loaded by S3 requests or by an upgrade to another path (404)', async () => {
    t = await startStrata();
    const b = bucketName('lazy');
    await t.s3.send(new CreateBucketCommand({ Bucket: b }));
    const listed = await t.s3.send(new ListBucketsCommand({}));
    assert.ok(listed.Buckets?.some((x) => x.Name === b));
    assert.equal(await upgradeStatus(t.port, '/somewhere-else'), 404);
    assert.equal(t.node.graphql.loaded, false);

    const auth = { accessKey: t.accessKey, secretKey: t.secretKey };
    const data = await gqlData<{ buckets: { name: string }[] }>(t.endpoint, auth, '{ buckets { name } }');
    assert.deepEqual(data.buckets, [{ name: b }]);
    assert.equal(t.node.graphql.loaded, true);
  });

  it('answers when the first request is a WebSocket operation', async () => {
    t = await startStrata();
    const client = wsClient(t.endpoint, { accessKey: t.accessKey, secretKey: t.secretKey });
    try {
      const sub = wsSubscribe<{ me: { id: string } }>(client, '{ me { id } }');
      assert.equal((await sub.next()).data?.me.id, t.node.root.id);
    } finally {
      await client.dispose();
    }
    assert.equal(t.node.graphql.loaded, true);
  });

  it('answers concurrent first requests, and a refused one, with one load', async () => {
    t = await startStrata();
    const auth = { accessKey: t.accessKey, secretKey: t.secretKey };
    const [a, b, refused] = await Promise.all([
      gql<{ me: { id: string } }>(t.endpoint, auth, '{ me { id } }'),
      gql<{ buckets: unknown[] }>(t.endpoint, auth, '{ buckets { name } }'),
      gql(t.endpoint, { accessKey: t.accessKey, secretKey: 'wrong-secret-key' }, '{ me { id } }'),
    ]);
    assert.equal(a.status, 200);
    assert.equal(a.data?.me.id, t.node.root.id);
    assert.deepEqual(b.data?.buckets, []);
    assert.equal(refused.status, 401);
  });
});
