import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { isS3Error } from '../../shared/errors.js';
import { blobFiles, body, openFixture, readAll, type StoreFixture } from './store-fixture.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isS3Error(e)) return e.code;
    throw e;
  }
  return 'ok';
}

describe('versioning state machine', () => {
  let f: StoreFixture;
  const B = 'ver';
  beforeEach(async () => {
    f = await openFixture();
    f.store.createBucket(B, f.owner, 'us-east-1');
  });
  afterEach(() => f.cleanup());

  const put = (key: string, data: string) => f.store.putObject(B, key, body(data), {});
  const get = async (key: string, versionId?: string) => {
    const v = f.store.headObject(B, key, { versionId });
    return (await readAll(f.store.openObject(v))).toString();
  };
  const versions = (key: string) =>
    f.store
      .listObjectVersions(B, { prefix: key, maxKeys: 1000 })
      .versions.map(
        (v) =>
          `${v.versionId === 'null' ? 'null' : 'id'}${v.isDeleteMarker ? ':dm' : ''}${v.isLatest ? '*' : ''}`,
      );

  it('unversioned: PUT replaces the null version and frees its blob; DELETE removes it', async () => {
    const v1 = await put('k', 'one');
    const v2 = await put('k', 'two');
    assert.deepEqual([v1.versionId, v2.versionId], ['null', 'null']);
    assert.equal(await get('k'), 'two');
    assert.deepEqual(versions('k'), ['null*']);
    await f.store.close(); // settles pending deletions
    const s = await f.reopen();
    assert.equal(blobFiles(f.dataDir).published.length, 1);
    assert.deepEqual(s.deleteObject(B, 'k'), { deleteMarker: false });
    assert.equal(
      code(() => s.headObject(B, 'k')),
      'NoSuchKey',
    );
    assert.deepEqual(s.listObjectVersions(B, { maxKeys: 10 }).versions, []);
  });

  it('enabled: each PUT adds a version, DELETE adds a marker, deleting the marker restores', async () => {
    await put('k', 'null-one');
    f.store.setBucketVersioning(B, 'Enabled');
    const a = await put('k', 'a');
    const b = await put('k', 'b');
    assert.notEqual(a.versionId, b.versionId);
    assert.match(a.versionId, /^[0-9A-Z]{26}$/);
    assert.deepEqual(versions('k'), ['id*', 'id', 'null']);
    assert.equal(await get('k', a.versionId), 'a');
    assert.equal(await get('k', 'null'), 'null-one');

    const del = f.store.deleteObject(B, 'k');
    assert.equal(del.deleteMarker, true);
    assert.ok(del.versionId && del.versionId !== 'null');
    assert.deepEqual(versions('k'), ['id:dm*', 'id', 'id', 'null']);
    let err: unknown;
    try {
      f.store.headObject(B, 'k');
    } catch (e) {
      err = e;
    }
    assert.ok(isS3Error(err) && err.code === 'NoSuchKey');
    assert.deepEqual(
      [err.headers['x-amz-delete-marker'], err.headers['x-amz-version-id']],
      ['true', del.versionId],
    );
    try {
      f.store.headObject(B, 'k', { versionId: del.versionId });
    } catch (e) {
      err = e;
    }
    assert.ok(
      isS3Error(err) && err.code === 'MethodNotAllowed' && err.headers['x-amz-delete-marker'] === 'true',
    );
    assert.deepEqual(f.store.listObjects(B, { maxKeys: 10 }).objects, []);

    assert.deepEqual(f.store.deleteObject(B, 'k', { versionId: del.versionId }), {
      versionId: del.versionId,
      deleteMarker: true,
    });
    assert.equal(await get('k'), 'b');
    assert.deepEqual(f.store.deleteObject(B, 'k', { versionId: b.versionId }), {
      versionId: b.versionId,
      deleteMarker: false,
    });
    assert.equal(await get('k'), 'a');
    assert.deepEqual(versions('k'), ['id*', 'null']);
  });

  it('suspended: PUT and DELETE replace the null version, other versions stay', async () => {
    f.store.setBucketVersioning(B, 'Enabled');
    const a = await put('k', 'a');
    f.store.setBucketVersioning(B, 'Suspended');
    const n1 = await put('k', 'n1');
    assert.equal(n1.versionId, 'null');
    await put('k', 'n2');
    assert.deepEqual(versions('k'), ['null*', 'id']);
    assert.deepEqual(f.store.deleteObject(B, 'k'), { versionId: 'null', deleteMarker: true });
    assert.deepEqual(versions('k'), ['null:dm*', 'id']);
    assert.equal(await get('k', a.versionId), 'a');
    await put('k', 'n3');
    assert.deepEqual(versions('k'), ['null*', 'id']);
    assert.equal(await get('k'), 'n3');
  });

  it('answers bad and unknown version ids like S3', async () => {
    f.store.setBucketVersioning(B, 'Enabled');
    await put('k', 'a');
    const cases: [string | undefined, string, string][] = [
      [undefined, 'missing', 'NoSuchKey'],
      ['not-a-version', 'k', 'InvalidArgument'],
      ['00000000000000000000000000', 'k', 'NoSuchVersion'],
      ['null', 'k', 'NoSuchVersion'],
    ];
    for (const [versionId, key, want] of cases)
      assert.equal(
        code(() => f.store.headObject(B, key, { versionId })),
        want,
        `${key} ${versionId}`,
      );
    assert.equal(
      code(() => f.store.headObject('no-such-bucket', 'k')),
      'NoSuchBucket',
    );
  });

  it('deleteBucket refuses while versions or markers remain, and aborts uploads', async () => {
    f.store.setBucketVersioning(B, 'Enabled');
    const v = await put('k', 'a');
    const m = f.store.deleteObject(B, 'k');
    assert.equal(
      code(() => f.store.deleteBucket(B)),
      'BucketNotEmpty',
    );
    f.store.deleteObject(B, 'k', { versionId: v.versionId });
    assert.equal(
      code(() => f.store.deleteBucket(B)),
      'BucketNotEmpty',
      'a delete marker remains',
    );
    f.store.deleteObject(B, 'k', { versionId: m.versionId });
    const u = f.store.createMultipartUpload(B, 'up', f.owner, {});
    await f.store.uploadPart(B, 'up', u.uploadId, 1, body('part'), {});
    assert.equal(
      code(() => f.store.deleteBucket(B)),
      'ok',
    );
    assert.equal(f.store.getBucket(B), undefined);
    f.store.createBucket(B, f.owner, 'us-east-1');
    assert.deepEqual(f.store.listMultipartUploads(B, { maxUploads: 10 }).uploads, []);
    await f.store.settle();
    assert.deepEqual(blobFiles(f.dataDir), { published: [], staged: [] });
  });

  it('putObjectTagging changes the tags of the addressed version only', async () => {
    f.store.setBucketVersioning(B, 'Enabled');
    const a = await put('k', 'a');
    await put('k', 'b');
    f.store.putObjectTagging(B, 'k', [{ key: 't', value: '1' }], a.versionId);
    assert.deepEqual(f.store.headObject(B, 'k', { versionId: a.versionId }).tags, [{ key: 't', value: '1' }]);
    assert.deepEqual(f.store.headObject(B, 'k').tags, []);
    f.store.putObjectTagging(B, 'k', [{ key: 'x', value: '' }]);
    assert.deepEqual(f.store.headObject(B, 'k').tags, [{ key: 'x', value: '' }]);
    assert.equal(
      code(() => f.store.putObjectTagging(B, 'nope', [])),
      'NoSuchKey',
    );
  });
});
