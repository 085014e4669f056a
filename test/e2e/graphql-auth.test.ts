/**
 * Who may use /_strata/graphql: Basic credentials (the S3 keys), the browser
 * login's session cookie, 401 for everyone else, and each user seeing only
 * its own buckets.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis-keys.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';
import { freePort } from '../helpers/strata-process.js';
import { Readable } from 'node:stream';
import {
  authHeaders,
  basic,
  errorCode,
  gql,
  gqlData,
  login,
  sseSubscribe,
  wsClient,
  wsSubscribe,
  type GqlError,
} from './graphql-kit.js';

describe('GraphQL authentication', () => {
  let t: TestStrata;
  const prefix = `test-gql-auth-${randomUUID()}`;
  const alice = { accessKey: `ALICE${randomUUID().slice(0, 8)}`, secretKey: 'alice-secret-key' };
  let root: { accessKey: string; secretKey: string };
  let aliceBucket: string;
  let rootBucket: string;

  before(async () => {
    t = await startStrata({ STRATA_REDIS_PREFIX: prefix });
    root = { accessKey: t.accessKey, secretKey: t.secretKey };
    t.node.store.createUser('alice', alice.accessKey, alice.secretKey);
    aliceBucket = bucketName('alice');
    rootBucket = bucketName('root');
    await t.client(alice.accessKey, alice.secretKey).send(new CreateBucketCommand({ Bucket: aliceBucket }));
    await t.s3.send(new CreateBucketCommand({ Bucket: rootBucket }));
  });
  after(async () => {
    await t?.close();
    await deleteRedisKeys(TEST_REDIS_URL, prefix);
  });

  it('answers 401 with WWW-Authenticate: Basic without credentials', async () => {
    const r = await gql(t.endpoint, {}, '{ me { displayName } }');
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="Strata"/);
    assert.equal(errorCode(r), 'AccessDenied');
    assert.equal(r.data, undefined);
  });

  it('refuses oversized and unsized (chunked) request bodies before reading them', async () => {
    const headers = { ...authHeaders(root), 'content-type': 'application/json' };
    const big = JSON.stringify({
      query: '{ me { displayName } }',
      variables: { pad: 'x'.repeat(1024 * 1024) },
    });
    const tooBig = await fetch(`${t.endpoint}/_strata/graphql`, { method: 'POST', headers, body: big });
    assert.equal(tooBig.status, 413);
    assert.equal(
      ((await tooBig.json()) as { errors?: GqlError[] }).errors?.[0]?.extensions?.code,
      'MaxMessageLengthExceeded',
    );
    const chunks = Readable.from([Buffer.from('{"query":"{ me { displayName } }"}')]);
    const chunked = await fetch(`${t.endpoint}/_strata/graphql`, {
      method: 'POST',
      headers,
      body: Readable.toWeb(chunks) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 411);
    assert.equal(
      ((await chunked.json()) as { errors?: GqlError[] }).errors?.[0]?.extensions?.code,
      'MissingContentLength',
    );
  });

  it('answers 401 for a wrong secret, an unknown key and a malformed header', async () => {
    assert.equal(
      (await gql(t.endpoint, { accessKey: root.accessKey, secretKey: 'wrong-secret' }, '{ me { id } }'))
        .status,
      401,
    );
    assert.equal(
      (await gql(t.endpoint, { accessKey: 'NOSUCHKEY', secretKey: 'whatever-secret' }, '{ me { id } }'))
        .status,
      401,
    );
    const res = await fetch(`${t.endpoint}/_strata/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  });

  it('shows browsers the sign-in page instead of a 401 challenge', async () => {
    const res = await fetch(`${t.endpoint}/_strata/graphql`, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), null);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /<form method="post" action="\/_strata\/login">/);
  });

  it('serves GraphiQL to an authenticated browser', async () => {
    const res = await fetch(`${t.endpoint}/_strata/graphql`, {
      headers: { accept: 'text/html', authorization: basic(root.accessKey, root.secretKey) },
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /graphiql/i);
  });

  it('accepts Basic credentials: me names the caller', async () => {
    const d = await gqlData<{ me: { displayName: string; isRoot: boolean; accessKey: string } }>(
      t.endpoint,
      alice,
      '{ me { displayName isRoot accessKey } }',
    );
    assert.deepEqual(d.me, { displayName: 'alice', isRoot: false, accessKey: alice.accessKey });
  });

  it('logs in with JSON, sets a strict HttpOnly cookie that works until logout', async () => {
    const res = await fetch(`${t.endpoint}/_strata/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alice),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { user: { displayName: string }; expiresAt: string };
    assert.equal(body.user.displayName, 'alice');
    assert.ok(Date.parse(body.expiresAt) > Date.now());
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^strata_session=[A-Za-z0-9_-]{43};/);
    for (const attr of ['HttpOnly', 'SameSite=Strict', 'Path=/_strata'])
      assert.ok(setCookie.includes(attr), attr);
    const cookie = setCookie.split(';')[0]!;

    const d = await gqlData<{ buckets: { name: string }[] }>(t.endpoint, { cookie }, '{ buckets { name } }');
    assert.deepEqual(
      d.buckets.map((b) => b.name),
      [aliceBucket],
    );

    const out = await fetch(`${t.endpoint}/_strata/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await gql(t.endpoint, { cookie }, '{ me { id } }')).status, 401);
  });

  it('logs in with a form: 303 back into Strata with the cookie; wrong keys get the form again', async () => {
    const ok = await fetch(`${t.endpoint}/_strata/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...alice, redirect: 'https://evil.example/' }).toString(),
      redirect: 'manual',
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/_strata/graphql');
    assert.match(ok.headers.get('set-cookie') ?? '', /^strata_session=/);
    await ok.arrayBuffer();
    const bad = await fetch(`${t.endpoint}/_strata/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accessKey: alice.accessKey, secretKey: 'nope-nope' }).toString(),
      redirect: 'manual',
    });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('set-cookie'), null);
    assert.match(await bad.text(), /Wrong access key or secret key/);
  });

  it('refuses a session cookie sent from another origin', async () => {
    const cookie = await login(t.endpoint, alice.accessKey, alice.secretKey);
    const res = await fetch(`${t.endpoint}/_strata/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  });

  it("answers AccessDenied for another user's bucket and NoSuchBucket for a missing one", async () => {
    for (const auth of [alice, { cookie: await login(t.endpoint, alice.accessKey, alice.secretKey) }]) {
      const r = await gql(t.endpoint, auth, 'query($b: String!) { bucket(name: $b) { name } }', {
        b: rootBucket,
      });
      assert.equal(r.status, 200);
      assert.equal(errorCode(r), 'AccessDenied');
      assert.equal(r.errors![0]!.extensions?.status, 403);
      assert.deepEqual(r.data, { bucket: null });
      const m = await gql(t.endpoint, auth, '{ bucket(name: "no-such-bucket-here") { name } }');
      assert.equal(errorCode(m), 'NoSuchBucket');
    }
    const del = await gql(t.endpoint, alice, 'mutation($b: String!) { deleteBucket(name: $b) }', {
      b: rootBucket,
    });
    assert.equal(errorCode(del), 'AccessDenied');
    const jobs = await gql(t.endpoint, alice, '{ queues { name } }');
    assert.equal(errorCode(jobs), 'AccessDenied');
  });

  it("ends a removed user's sessions", async () => {
    const bob = { accessKey: `BOB${randomUUID().slice(0, 8)}`, secretKey: 'bob-secret-key' };
    t.node.store.createUser(`bob-${randomUUID().slice(0, 6)}`, bob.accessKey, bob.secretKey);
    const cookie = await login(t.endpoint, bob.accessKey, bob.secretKey);
    assert.equal((await gql(t.endpoint, { cookie }, '{ me { id } }')).status, 200);
    assert.ok(t.node.store.removeUser(bob.accessKey));
    assert.equal((await gql(t.endpoint, { cookie }, '{ me { id } }')).status, 401);
  });

  it('WebSocket: header, cookie or connection_init credentials; none is closed with 4403', async () => {
    const query = '{ me { displayName } }';
    const cookie = await login(t.endpoint, alice.accessKey, alice.secretKey);
    for (const [auth, opts] of [
      [alice, {}],
      [alice, { viaConnectionParams: true }],
      [{ cookie }, {}],
    ] as const) {
      const client = wsClient(t.endpoint, auth, opts);
      const sub = wsSubscribe<{ me: { displayName: string } }>(client, query);
      assert.equal((await sub.next()).data?.me.displayName, 'alice');
      await client.dispose();
    }
    const anonymous = wsClient(t.endpoint, {});
    const refused = wsSubscribe(anonymous, query);
    await assert.rejects(refused.next(5000), (e: Error) => /4403|Forbidden/.test(e.message));
    await anonymous.dispose();
    const wrong = wsClient(t.endpoint, { accessKey: alice.accessKey, secretKey: 'wrong-secret' });
    const refusedToo = wsSubscribe(wrong, query);
    await assert.rejects(refusedToo.next(5000), /ended/);
    await wrong.dispose();
  });
});

describe('GraphQL without Redis', () => {
  let t: TestStrata;

  before(async () => {
    // Nothing listens there: Basic-authenticated queries work, sessions and subscriptions say so.
    t = await startStrata({ STRATA_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  after(async () => {
    await t?.close();
  });

  it('answers queries with Basic credentials; login and subscriptions answer ServiceUnavailable', async () => {
    const auth = { accessKey: t.accessKey, secretKey: t.secretKey };
    const b = bucketName('nr');
    await gqlData(t.endpoint, auth, 'mutation($b: String!) { createBucket(name: $b) { name } }', { b });
    assert.deepEqual(
      (await gqlData<{ buckets: { name: string }[] }>(t.endpoint, auth, '{ buckets { name } }')).buckets,
      [{ name: b }],
    );
    const res = await fetch(`${t.endpoint}/_strata/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(auth),
    });
    assert.equal(res.status, 503);
    assert.equal(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
      'ServiceUnavailable',
    );
    const sub = await sseSubscribe(
      t.endpoint,
      auth,
      'subscription($b: String!) { objectEvents(bucket: $b) { id } }',
      { b },
    );
    const first = await sub.next(15_000);
    assert.equal(first.errors?.[0]?.extensions?.code, 'ServiceUnavailable');
    await sub.close();
  });
});
