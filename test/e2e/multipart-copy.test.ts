/**
 * UploadPartCopy end to end: parts made from ranges of existing objects,
 * and the ranges, conditions and sources S3 refuses.
 */
import {
  type CompletedPart,
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  bufferDigest,
  md5,
  MiB,
  multipartEtag,
  multipartSuite,
  pattern,
  streamDigest,
} from '../helpers/multipart-kit.js';
import { rejectsWith } from '../helpers/object-kit.js';

describe('UploadPartCopy', () => {
  const { suite, kit } = multipartSuite();
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

  it('copies ranges of an existing object into parts with UploadPartCopy', async () => {
    const bucket = await kit.newBucket();
    const source = await pattern(6 * MiB + 100, 9);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: source }));
    const target = await kit.newBucket();
    const uploadId = await kit.start(target, 'copy');
    const ranges: [number, number][] = [
      [0, 5 * MiB - 1],
      [5 * MiB, source.length - 1],
    ];
    const parts: CompletedPart[] = [];
    for (const [i, [first, last]] of ranges.entries()) {
      const res = await s3.send(
        new UploadPartCopyCommand({
          Bucket: target,
          Key: 'copy',
          UploadId: uploadId,
          PartNumber: i + 1,
          CopySource: `${bucket}/source`,
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      const expected = `"${md5(source.subarray(first, last + 1)).toString('hex')}"`;
      assert.equal(res.CopyPartResult?.ETag, expected);
      assert.ok(res.CopyPartResult?.LastModified instanceof Date);
      parts.push({ PartNumber: i + 1, ETag: res.CopyPartResult.ETag });
    }
    const done = await kit.complete(target, 'copy', uploadId, parts);
    assert.equal(done.ETag, multipartEtag(ranges.map(([a, b]) => source.subarray(a, b + 1))));
    const got = await s3.send(new GetObjectCommand({ Bucket: target, Key: 'copy' }));
    assert.deepEqual(await streamDigest(got.Body), bufferDigest(source));
  });

  it('rejects UploadPartCopy ranges outside the source, malformed ranges and failed conditions', async () => {
    const bucket = await kit.newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: '0123456789' }));
    const uploadId = await kit.start(bucket, 'dst');
    const copy = (extra: Partial<UploadPartCopyCommand['input']>) =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: 'dst',
          UploadId: uploadId,
          PartNumber: 1,
          CopySource: `${bucket}/src`,
          ...extra,
        }),
      );
    const cases: { extra: Partial<UploadPartCopyCommand['input']>; code: string; status: number }[] = [
      { extra: { CopySourceRange: 'bytes=5-10' }, code: 'InvalidArgument', status: 400 },
      { extra: { CopySourceRange: 'bytes=10-12' }, code: 'InvalidArgument', status: 400 },
      { extra: { CopySourceRange: 'bytes=5-2' }, code: 'InvalidArgument', status: 400 },
      { extra: { CopySourceRange: 'bytes=-3' }, code: 'InvalidArgument', status: 400 },
      { extra: { CopySourceRange: 'items=0-3' }, code: 'InvalidArgument', status: 400 },
      {
        extra: { CopySourceIfMatch: '"00000000000000000000000000000000"' },
        code: 'PreconditionFailed',
        status: 412,
      },
      { extra: { CopySource: `${bucket}/missing` }, code: 'NoSuchKey', status: 404 },
      { extra: { UploadId: 'no-such-upload' }, code: 'NoSuchUpload', status: 404 },
    ];
    for (const c of cases) {
      await rejectsWith(copy(c.extra), c.code, c.status).catch((e: unknown) => {
        throw new Error(JSON.stringify(c.extra), { cause: e });
      });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'dst', UploadId: uploadId }));
    assert.equal(listed.Parts, undefined);
    const ok = await copy({ CopySourceRange: 'bytes=2-4' });
    assert.equal(ok.CopyPartResult?.ETag, `"${md5(Buffer.from('234')).toString('hex')}"`);
  });
});
