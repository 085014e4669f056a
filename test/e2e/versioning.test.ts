/**
 * Versioning through the S3 API: version ids on PUT / GET / HEAD / DELETE /
 * CopyObject, delete markers, the "null" version of unversioned and suspended
 * writes, and ListObjectVersions to empty a bucket.
 */
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  bodyText,
  emptyAndDeleteBucket,
  errorHeader,
  rejectsWith,
  rejectsWithStatus,
} from '../helpers/object-kit.js';
import { bucketName } from '../helpers/strata.js';
import { strataSuite } from '../helpers/strata-suite.js';

describe('versioning', () => {
  const suite = strataSuite({ bucketPrefix: 'ver' });
  const { put, get } = suite;
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

  async function newBucket(status?: 'Enabled' | 'Suspended'): Promise<string> {
    const b = await suite.newBucket();
    if (status) await setVersioning(b, status);
    return b;
  }
  const setVersioning = (Bucket: string, Status: 'Enabled' | 'Suspended') =>
    s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

  it('gives every PUT its own version id, readable by id with GET and HEAD', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'k', 'one')).VersionId;
    const v2 = (await put(b, 'k', 'two')).VersionId;
    assert.ok(v1 && v2 && v1 !== v2 && v1 !== 'null');
    assert.equal(await get(b, 'k'), 'two');
    assert.equal(await get(b, 'k', v1), 'one');
    assert.equal(await get(b, 'k', v2), 'two');
    const latest = await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }));
    assert.equal(latest.VersionId, v2);
    await bodyText(latest.Body);
    const head = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: v1 }));
    assert.equal(head.VersionId, v1);
    assert.equal(head.ContentLength, 3);
  });

  it('DELETE without a version id adds a delete marker; the versions stay readable', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'k', 'one')).VersionId!;
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.equal(del.DeleteMarker, true);
    assert.ok(del.VersionId && del.VersionId !== v1);
    const marker = del.VersionId!;

    const e = await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), 'NoSuchKey', 404);
    assert.equal(errorHeader(e, 'x-amz-delete-marker'), 'true');
    assert.equal(errorHeader(e, 'x-amz-version-id'), marker);
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })), 'NotFound', 404);
    assert.equal(await get(b, 'k', v1), 'one');

    // GET or HEAD of the delete marker's version: 405 with x-amz-delete-marker.
    const m = await rejectsWith(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: marker })),
      'MethodNotAllowed',
      405,
    );
    assert.equal(errorHeader(m, 'x-amz-delete-marker'), 'true');
    assert.equal(errorHeader(m, 'x-amz-version-id'), marker);
    const h = await rejectsWithStatus(
      s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: marker })),
      405,
    );
    assert.equal(errorHeader(h, 'x-amz-delete-marker'), 'true');

    // Deleting the marker itself brings the object back.
    const undo = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: marker }));
    assert.equal(undo.DeleteMarker, true);
    assert.equal(undo.VersionId, marker);
    assert.equal(await get(b, 'k'), 'one');
  });

  it('DELETE with a version id removes that version for good', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'k', 'one')).VersionId!;
    const v2 = (await put(b, 'k', 'two')).VersionId!;
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: v2 }));
    assert.equal(del.VersionId, v2);
    assert.equal(del.DeleteMarker, undefined);
    assert.equal(await get(b, 'k'), 'one');
    await rejectsWith(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v2 })),
      'NoSuchVersion',
      404,
    );
    const list = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.deepEqual(
      list.Versions?.map((v) => v.VersionId),
      [v1],
    );
  });

  it('answers NoSuchVersion for an unknown id and InvalidArgument for a malformed one', async () => {
    const b = await newBucket('Enabled');
    await put(b, 'k', 'x');
    await rejectsWith(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' })),
      'NoSuchVersion',
      404,
    );
    await rejectsWith(
      s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'no such thing' })),
      'InvalidArgument',
      400,
    );
  });

  it('objects written before versioning keep the "null" version; Suspended writes replace it', async () => {
    const b = await newBucket();
    const before = await put(b, 'k', 'pre');
    assert.equal(before.VersionId, undefined, 'unversioned buckets send no version id');
    await setVersioning(b, 'Enabled');
    const v1 = (await put(b, 'k', 'enabled')).VersionId!;
    assert.equal(await get(b, 'k', 'null'), 'pre');
    const nullHead = await s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: 'null' }));
    assert.equal(nullHead.VersionId, 'null');

    await setVersioning(b, 'Suspended');
    const s1 = await put(b, 'k', 'suspended');
    assert.equal(s1.VersionId, 'null');
    assert.equal(await get(b, 'k', 'null'), 'suspended');
    assert.equal(await get(b, 'k', v1), 'enabled');

    // DELETE in a suspended bucket: a "null" delete marker.
    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    assert.equal(del.VersionId, 'null');
    const list = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.deepEqual(
      list.Versions?.map((v) => v.VersionId),
      [v1],
    );
    assert.deepEqual(
      list.DeleteMarkers?.map((v) => v.VersionId),
      ['null'],
    );
  });

  it('CopyObject reports source and destination versions, and copies an old version', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'src', 'old')).VersionId!;
    const v2 = (await put(b, 'src', 'new')).VersionId!;
    const latest = await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src` }));
    assert.equal(latest.CopySourceVersionId, v2);
    assert.ok(latest.VersionId && latest.VersionId !== v2);
    assert.equal(await get(b, 'dst'), 'new');
    const old = await s3.send(
      new CopyObjectCommand({
        Bucket: b,
        Key: 'dst',
        CopySource: `${b}/src?versionId=${encodeURIComponent(v1)}`,
      }),
    );
    assert.equal(old.CopySourceVersionId, v1);
    assert.equal(await get(b, 'dst'), 'old');
    assert.equal(await get(b, 'dst', latest.VersionId), 'new');
    // A copy whose source is a delete marker's version is refused.
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'src' }))).VersionId!;
    await rejectsWith(
      s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst2', CopySource: `${b}/src` })),
      'NoSuchKey',
      404,
    );
    await rejectsWith(
      s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst2', CopySource: `${b}/src?versionId=${marker}` })),
      'InvalidRequest',
      400,
    );
  });

  it('tags and attributes address one version', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'k', 'one')).VersionId!;
    const v2 = (await put(b, 'k', 'two!')).VersionId!;
    const tagged = await s3.send(
      new PutObjectTaggingCommand({
        Bucket: b,
        Key: 'k',
        VersionId: v1,
        Tagging: { TagSet: [{ Key: 'v', Value: '1' }] },
      }),
    );
    assert.equal(tagged.VersionId, v1);
    const t1 = await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k', VersionId: v1 }));
    assert.deepEqual(t1.TagSet, [{ Key: 'v', Value: '1' }]);
    assert.equal(t1.VersionId, v1);
    const t2 = await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k' }));
    assert.deepEqual(t2.TagSet ?? [], []);
    assert.equal(t2.VersionId, v2);
    const attrs = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: b,
        Key: 'k',
        VersionId: v1,
        ObjectAttributes: ['ObjectSize'],
      }),
    );
    assert.equal(attrs.ObjectSize, 3);
    assert.equal(attrs.VersionId, v1);
  });

  it('DeleteObjects reports delete markers and deleted versions', async () => {
    const b = await newBucket('Enabled');
    const v1 = (await put(b, 'a', 'x')).VersionId!;
    await put(b, 'b', 'y');
    const res = await s3.send(
      new DeleteObjectsCommand({
        Bucket: b,
        Delete: { Objects: [{ Key: 'a', VersionId: v1 }, { Key: 'b' }] },
      }),
    );
    const byKey = new Map(res.Deleted?.map((d) => [d.Key, d]));
    assert.equal(byKey.get('a')?.VersionId, v1);
    assert.equal(byKey.get('a')?.DeleteMarker, undefined);
    assert.equal(byKey.get('b')?.DeleteMarker, true);
    assert.ok(byKey.get('b')?.DeleteMarkerVersionId);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'b' })), 'NoSuchKey', 404);
  });

  it('ListObjectVersions + DeleteObjects empty a versioned bucket', async () => {
    const b = bucketName('ver-empty');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await setVersioning(b, 'Enabled');
    for (let i = 0; i < 3; i++) await put(b, `k${i % 2}`, `v${i}`);
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k0' }));
    const list = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.equal(list.Versions?.length, 3);
    assert.equal(list.DeleteMarkers?.length, 1);
    await emptyAndDeleteBucket(s3, b);
  });
});
