import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../shared/errors.js';
import { blobFiles, body, inlineBlobs, openFixture, readAll, type StoreFixture } from './store-fixture.js';
import { decodeBodyRef } from './body-ref.js';

const B = 'inl';
const LIMIT = 1024;

describe('small bodies kept in the metadata', () => {
  let f: StoreFixture;
  afterEach(() => f.cleanup());

  async function open(inlineBodyMaxBytes = LIMIT) {
    f = await openFixture({ inlineBodyMaxBytes });
    f.store.createBucket(B, f.owner, 'us-east-1');
  }
  const read = async (key: string, range?: { start: number; end: number }) =>
    (await readAll(f.store.openObject(f.store.headObject(B, key), range))).toString();

  it('a body up to the limit writes no file, reads back whole and by range, and survives a restart', async () => {
    await open();
    const data = 'x'.repeat(LIMIT - 10) + '0123456789';
    const v = await f.store.putObject(B, 'k', body(data, 100), {});
    assert.equal(v.size, LIMIT);
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [] });
    assert.equal(inlineBlobs(f.dataDir).length, 1);
    assert.equal(await read('k'), data);
    assert.equal(await read('k', { start: LIMIT - 10, end: LIMIT - 1 }), '0123456789');
    await f.store.close();
    const s = await f.reopen();
    assert.equal((await readAll(s.openObject(s.headObject(B, 'k')))).toString(), data);
  });

  it('a body past the limit is a file, as before', async () => {
    await open();
    const data = Buffer.alloc(LIMIT + 1, 3);
    const v = await f.store.putObject(B, 'big', body(data, 256), {});
    const id = decodeBodyRef(v.bodyRef)[0]?.id;
    assert.deepEqual(blobFiles(f.dataDir), { published: [id], staged: [] });
    assert.deepEqual(inlineBlobs(f.dataDir), []);
    assert.deepEqual(await readAll(f.store.openObject(v)), data);
  });

  it('limit 0 keeps every body in a file', async () => {
    await open(0);
    await f.store.putObject(B, 'k', body('tiny'), {});
    assert.equal(blobFiles(f.dataDir).published.length, 1);
    assert.deepEqual(inlineBlobs(f.dataDir), []);
  });

  it('an overwrite frees the old bytes, but a read opened before it still gets them', async () => {
    await open();
    await f.store.putObject(B, 'k', body('old bytes'), {});
    const reading = f.store.openObject(f.store.headObject(B, 'k'));
    await f.store.putObject(B, 'k', body('new bytes'), {});
    assert.equal((await readAll(reading)).toString(), 'old bytes');
    assert.equal(await read('k'), 'new bytes');
    assert.equal(inlineBlobs(f.dataDir).length, 1);
    f.store.deleteObject(B, 'k');
    assert.deepEqual(inlineBlobs(f.dataDir), []);
  });

  it('a copy shares the bytes, which live until the last version naming them goes', async () => {
    await open();
    await f.store.putObject(B, 'src', body('shared'), {});
    await f.store.copyObject(B, 'src', B, 'dst', { metadataDirective: 'COPY', taggingDirective: 'COPY' });
    assert.equal(inlineBlobs(f.dataDir).length, 1);
    f.store.deleteObject(B, 'src');
    assert.equal(await read('dst'), 'shared');
    f.store.deleteObject(B, 'dst');
    assert.deepEqual(inlineBlobs(f.dataDir), []);
  });

  it('a write refused at commit (racing If-None-Match: *) stores nothing', async () => {
    await open();
    // Both pass the early check; the commit lets exactly one create the key.
    const results = await Promise.allSettled([
      f.store.putObject(B, 'k', body('first'), { ifNoneMatch: '*' }),
      f.store.putObject(B, 'k', body('second'), { ifNoneMatch: '*' }),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1);
    const reason = (refused[0] as PromiseRejectedResult).reason as unknown;
    assert.ok(isS3Error(reason) && reason.code === 'PreconditionFailed');
    assert.equal(inlineBlobs(f.dataDir).length, 1);
    assert.ok(['first', 'second'].includes(await read('k')));
  });

  it('concurrent small PUTs in one group commit each keep their own bytes', async () => {
    await open();
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => f.store.putObject(B, k, body(`body of ${k}`), {})));
    for (const k of keys) assert.equal(await read(k), `body of ${k}`);
    assert.equal(inlineBlobs(f.dataDir).length, keys.length);
  });
});
