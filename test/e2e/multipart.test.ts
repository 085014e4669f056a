/**
 * Multipart uploads end to end, with the real S3Client and lib-storage's
 * Upload against a running Strata node: assembling parts, checksums,
 * listing uploads and parts, versioning and visibility.
 */
import {
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import {
  bufferDigest,
  md5,
  MiB,
  multipartEtag,
  multipartSuite,
  pattern,
  patternStream,
  streamDigest,
} from '../helpers/multipart-kit.js';
import { rejectsWith } from '../helpers/object-kit.js';
import type { TestStrata } from '../helpers/strata.js';

describe('multipart upload', () => {
  const { suite, kit } = multipartSuite();
  let strata: TestStrata;
  let s3: S3Client;
  before(() => {
    strata = suite.strata;
    s3 = strata.s3;
  });

  it('assembles 5 MiB + 5 MiB + 1 byte parts into one object with the "-3" ETag', async () => {
    const bucket = await kit.newBucket();
    const key = 'big/object.bin';
    const data = [await pattern(5 * MiB, 1), await pattern(5 * MiB, 2), Buffer.from('z')];
    const uploadId = await kit.start(bucket, key);
    const parts: CompletedPart[] = [];
    for (const [i, body] of data.entries()) {
      const res = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: i + 1,
          Body: body,
        }),
      );
      assert.equal(res.ETag, `"${md5(body).toString('hex')}"`);
      // The SDK sends a CRC32 of each part by default; S3 echoes the checksum it verified.
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(body));
      assert.equal(res.ChecksumCRC32, crc.toString('base64'));
      parts.push({ PartNumber: i + 1, ETag: res.ETag });
    }
    const done = await kit.complete(bucket, key, uploadId, parts);
    const etag = multipartEtag(data);
    assert.equal(done.ETag, etag);
    assert.equal(done.Bucket, bucket);
    assert.equal(done.Key, key);
    assert.match(done.Location ?? '', new RegExp(`/${bucket}/big(/|%2F)object\\.bin$`));

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(got.ETag, etag);
    assert.equal(got.ContentLength, 10 * MiB + 1);
    assert.deepEqual(await streamDigest(got.Body), bufferDigest(Buffer.concat(data)));

    const second = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, PartNumber: 2 }));
    assert.equal(second.PartsCount, 3);
    assert.equal(second.ContentLength, 5 * MiB);
    assert.deepEqual(await streamDigest(second.Body), bufferDigest(data[1]!));
  });

  it('round-trips a 40 MiB stream through lib-storage Upload (5 MiB parts, 4 at a time)', async () => {
    const bucket = await kit.newBucket();
    const size = 40 * MiB + 12345;
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: 'stream.bin',
        Body: patternStream(size, 42),
        ContentType: 'application/x-test',
      },
      partSize: 5 * MiB,
      queueSize: 4,
    });
    const done = await upload.done();
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-9"$/);
    assert.match(done.ChecksumCRC32 ?? '', /^[A-Za-z0-9+/]{6}==-9$/);

    const expected = await streamDigest(patternStream(size, 42));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'stream.bin' }));
    assert.equal(got.ContentType, 'application/x-test');
    assert.equal(got.ETag, done.ETag);
    assert.deepEqual(await streamDigest(got.Body), expected);
  });

  it('checksums parts with the algorithm chosen at creation and completes with a COMPOSITE checksum', async () => {
    const bucket = await kit.newBucket();
    const key = 'summed';
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }),
    );
    assert.equal(created.ChecksumAlgorithm, 'SHA256');
    const uploadId = created.UploadId!;
    const data = [await pattern(5 * MiB, 11), Buffer.from('last part')];
    const digests = data.map((b) => createHash('sha256').update(b).digest());
    const parts: CompletedPart[] = [];
    for (const [i, body] of data.entries()) {
      // Part 1 streams (aws-chunked with a trailing checksum), part 2 is sent whole (checksum header).
      const res = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: i + 1,
          ChecksumAlgorithm: 'SHA256',
          ...(i === 0 ? { Body: patternStream(5 * MiB, 11), ContentLength: 5 * MiB } : { Body: body }),
        }),
      );
      assert.equal(res.ChecksumSHA256, digests[i]!.toString('base64'));
      parts.push({ PartNumber: i + 1, ETag: res.ETag, ChecksumSHA256: res.ChecksumSHA256 });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    assert.equal(listed.ChecksumAlgorithm, 'SHA256');
    assert.deepEqual(
      listed.Parts?.map((p) => p.ChecksumSHA256),
      digests.map((d) => d.toString('base64')),
    );
    // A part checksummed with another algorithm than the upload's is refused.
    await rejectsWith(
      s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: 3,
          Body: 'x',
          ChecksumAlgorithm: 'CRC32',
        }),
      ),
      'InvalidRequest',
      400,
    );
    const done = await kit.complete(bucket, key, uploadId, parts);
    const composite = createHash('sha256').update(Buffer.concat(digests)).digest('base64');
    assert.equal(done.ChecksumSHA256, `${composite}-2`);
    assert.equal(done.ChecksumType, 'COMPOSITE');
  });

  it('pages ListParts with MaxParts and PartNumberMarker', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'parts');
    const bodies = ['one', 'two!', 'three', 'four!!', 'five!!!'].map((s) => Buffer.from(s));
    for (const [i, b] of bodies.entries()) await kit.put(bucket, 'parts', uploadId, i + 1, b);

    const pages: { numbers: number[]; truncated: boolean; next: string | undefined }[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new ListPartsCommand({
          Bucket: bucket,
          Key: 'parts',
          UploadId: uploadId,
          MaxParts: 2,
          PartNumberMarker: marker,
        }),
      );
      assert.equal(page.MaxParts, 2);
      assert.equal(page.UploadId, uploadId);
      assert.equal(page.StorageClass, 'STANDARD');
      assert.equal(page.Initiator?.ID, strata.node.root.id);
      assert.equal(page.Owner?.ID, strata.node.root.id);
      for (const part of page.Parts ?? []) {
        const body = bodies[part.PartNumber! - 1]!;
        assert.equal(part.Size, body.length);
        assert.equal(part.ETag, `"${md5(body).toString('hex')}"`);
        assert.ok(part.LastModified instanceof Date);
      }
      pages.push({
        numbers: (page.Parts ?? []).map((p) => p.PartNumber!),
        truncated: page.IsTruncated === true,
        next: page.NextPartNumberMarker,
      });
      if (!page.IsTruncated) break;
      marker = page.NextPartNumberMarker;
    }
    assert.deepEqual(pages, [
      { numbers: [1, 2], truncated: true, next: '2' },
      { numbers: [3, 4], truncated: true, next: '4' },
      { numbers: [5], truncated: false, next: '5' },
    ]);
    await rejectsWith(
      s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'parts', UploadId: uploadId, MaxParts: -1 })),
      'InvalidArgument',
      400,
    );
  });

  it('lists in-progress uploads with prefix, delimiter and paging', async () => {
    const bucket = await kit.newBucket();
    const keys = [
      'docs/d.txt',
      'e.txt',
      'photos/2024/a.jpg',
      'photos/2024/b.jpg',
      'photos/c.jpg',
      'photos/c.jpg',
    ];
    const ids = new Map<string, string[]>();
    for (const key of keys) ids.set(key, [...(ids.get(key) ?? []), await kit.start(bucket, key)]);

    const cases: { prefix?: string; delimiter?: string; uploads: string[]; prefixes: string[] }[] = [
      { uploads: keys, prefixes: [] },
      { delimiter: '/', uploads: ['e.txt'], prefixes: ['docs/', 'photos/'] },
      {
        prefix: 'photos/',
        delimiter: '/',
        uploads: ['photos/c.jpg', 'photos/c.jpg'],
        prefixes: ['photos/2024/'],
      },
      { prefix: 'photos/2024/', uploads: ['photos/2024/a.jpg', 'photos/2024/b.jpg'], prefixes: [] },
      { prefix: 'nothing/', uploads: [], prefixes: [] },
    ];
    for (const c of cases) {
      const res = await s3.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: c.prefix, Delimiter: c.delimiter }),
      );
      assert.deepEqual(
        (res.Uploads ?? []).map((u) => u.Key),
        c.uploads,
        JSON.stringify(c),
      );
      assert.deepEqual(
        (res.CommonPrefixes ?? []).map((p) => p.Prefix),
        c.prefixes,
        JSON.stringify(c),
      );
      assert.equal(res.IsTruncated, false);
      for (const u of res.Uploads ?? []) {
        assert.ok(ids.get(u.Key!)?.includes(u.UploadId!));
        assert.equal(u.Initiator?.ID, strata.node.root.id);
        assert.equal(u.StorageClass, 'STANDARD');
        assert.ok(u.Initiated instanceof Date);
      }
    }

    // Two per page, continuing from NextKeyMarker + NextUploadIdMarker, visits every upload once.
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10, 'paging terminates');
      const res = await s3.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          MaxUploads: 2,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      assert.equal(res.MaxUploads, 2);
      seen.push(...(res.Uploads ?? []).map((u) => u.UploadId!));
      if (!res.IsTruncated) break;
      keyMarker = res.NextKeyMarker;
      uploadIdMarker = res.NextUploadIdMarker;
    }
    assert.deepEqual([...seen].sort(), [...ids.values()].flat().sort());
  });

  it('returns a version id when completing in a versioned bucket', async () => {
    const bucket = await kit.newBucket();
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const uploadId = await kit.start(bucket, 'v');
    const done = await kit.complete(bucket, 'v', uploadId, [
      await kit.put(bucket, 'v', uploadId, 1, Buffer.from('versioned')),
    ]);
    assert.ok(done.VersionId && done.VersionId !== 'null');
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'v', VersionId: done.VersionId }),
    );
    assert.equal(head.ETag, done.ETag);
    assert.equal(head.VersionId, done.VersionId);
  });

  it('replaces a part uploaded again under the same number', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'r');
    const first = await kit.put(bucket, 'r', uploadId, 1, Buffer.from('first'));
    const second = await kit.put(bucket, 'r', uploadId, 1, Buffer.from('second!'));
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'r', UploadId: uploadId }));
    assert.deepEqual(
      listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]),
      [[1, 7, second.ETag]],
    );
    await rejectsWith(kit.complete(bucket, 'r', uploadId, [first]), 'InvalidPart', 400);
    await kit.complete(bucket, 'r', uploadId, [second]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'r' }));
    assert.equal(await got.Body?.transformToString(), 'second!');
  });

  it('keeps the object out of listings until the upload completes', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'pending');
    const part = await kit.put(bucket, 'pending', uploadId, 1, Buffer.from('soon'));
    const before = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.equal(before.KeyCount, 0);
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'pending' })), 'NotFound', 404);
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.deepEqual(
      listed.Uploads?.map((u) => u.UploadId),
      [uploadId],
    );

    await kit.complete(bucket, 'pending', uploadId, [part]);
    const afterwards = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(
      afterwards.Contents?.map((o) => [o.Key, o.Size]),
      [['pending', 4]],
    );
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(uploads.Uploads, undefined);
  });

  it('honours If-None-Match: * on completion', async () => {
    const bucket = await kit.newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'taken', Body: 'original' }));
    for (const [key, outcome] of [
      ['taken', 'PreconditionFailed'],
      ['free', 'ok'],
    ] as const) {
      const uploadId = await kit.start(bucket, key);
      const part = await kit.put(bucket, key, uploadId, 1, Buffer.from('new'));
      const attempt = s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [part] },
        }),
      );
      if (outcome === 'ok') await attempt;
      else await rejectsWith(attempt, 'PreconditionFailed', 412);
    }
    const taken = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'taken' }));
    assert.equal(await taken.Body?.transformToString(), 'original');
    const free = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'free' }));
    assert.equal(await free.Body?.transformToString(), 'new');
  });

  // S3 deletes a bucket whose only contents are in-progress uploads (they go with it).
  it('deletes a bucket that holds only in-progress uploads', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'left-behind');
    await kit.put(bucket, 'left-behind', uploadId, 1, Buffer.from('x'));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await rejectsWith(s3.send(new HeadBucketCommand({ Bucket: bucket })), 'NotFound', 404);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(uploads.Uploads, undefined);
  });
});
