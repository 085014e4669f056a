/**
 * Multipart uploads refused as S3 refuses them: part sizes, order and
 * ETags at completion, malformed part lists, part numbers, digests and
 * unknown, aborted or completed uploads. A refusal changes nothing.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { md5, MiB, multipartSuite, pattern } from '../helpers/multipart-kit.js';
import { rejectsWith } from '../helpers/object-kit.js';

describe('multipart upload errors', () => {
  const { suite, kit } = multipartSuite();
  let s3: S3Client;
  before(() => {
    s3 = suite.s3;
  });

  it('rejects parts smaller than 5 MiB except the last with EntityTooSmall, keeping the upload', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'small');
    const parts = [
      await kit.put(bucket, 'small', uploadId, 1, Buffer.from('a')),
      await kit.put(bucket, 'small', uploadId, 2, Buffer.from('b')),
    ];
    await rejectsWith(kit.complete(bucket, 'small', uploadId, parts), 'EntityTooSmall', 400);
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'small', UploadId: uploadId }));
    assert.deepEqual(
      listed.Parts?.map((p) => p.PartNumber),
      [1, 2],
    );
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'small' })), 'NotFound', 404);
  });

  it('rejects a part list out of order with InvalidPartOrder and unknown parts or ETags with InvalidPart', async () => {
    const bucket = await kit.newBucket();
    const key = 'checked';
    const uploadId = await kit.start(bucket, key);
    const p1 = await kit.put(bucket, key, uploadId, 1, await pattern(5 * MiB, 7));
    const p2 = await kit.put(bucket, key, uploadId, 2, Buffer.from('tail'));
    const cases: { name: string; parts: CompletedPart[]; code: string }[] = [
      { name: 'descending', parts: [p2, p1], code: 'InvalidPartOrder' },
      { name: 'repeated', parts: [p1, p1, p2], code: 'InvalidPartOrder' },
      {
        name: 'wrong ETag',
        parts: [p1, { PartNumber: 2, ETag: '"0123456789abcdef0123456789abcdef"' }],
        code: 'InvalidPart',
      },
      { name: 'never uploaded', parts: [p1, p2, { PartNumber: 3, ETag: p2.ETag }], code: 'InvalidPart' },
    ];
    for (const c of cases) {
      await rejectsWith(kit.complete(bucket, key, uploadId, c.parts), c.code, 400).catch((e: unknown) => {
        throw new Error(`case "${c.name}"`, { cause: e });
      });
    }
    // Nothing changed: the right list still completes, with ETags given without quotes too.
    const done = await kit.complete(bucket, key, uploadId, [
      p1,
      { PartNumber: 2, ETag: p2.ETag!.replace(/"/g, '') },
    ]);
    assert.match(done.ETag ?? '', /-2"$/);
  });

  it('answers MalformedXML for a missing, empty or broken part list', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'k');
    await kit.put(bucket, 'k', uploadId, 1, Buffer.from('x'));
    await rejectsWith(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'k', UploadId: uploadId })),
      'MalformedXML',
      400,
    );
    await rejectsWith(kit.complete(bucket, 'k', uploadId, []), 'MalformedXML', 400);
    for (const body of [
      '<CompleteMultipartUpload><Part>',
      '<Other/>',
      '<CompleteMultipartUpload><Part><ETag>x</ETag><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>',
    ]) {
      const cmd = new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'k', UploadId: uploadId });
      cmd.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { body?: unknown }).body = body;
          return next(args);
        },
        { step: 'build', priority: 'high' },
      );
      await rejectsWith(s3.send(cmd), 'MalformedXML', 400);
    }
  });

  it('refuses a part whose Content-MD5 does not match with BadDigest, storing nothing', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'k');
    await rejectsWith(
      s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'k',
          UploadId: uploadId,
          PartNumber: 1,
          Body: 'actual bytes',
          ContentMD5: md5(Buffer.from('other bytes')).toString('base64'),
        }),
      ),
      'BadDigest',
      400,
    );
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'k', UploadId: uploadId }));
    assert.equal(listed.Parts, undefined);
  });

  it('validates part numbers: 1..10000', async () => {
    const bucket = await kit.newBucket();
    const uploadId = await kit.start(bucket, 'k');
    for (const partNumber of [0, 10001]) {
      await rejectsWith(kit.put(bucket, 'k', uploadId, partNumber, Buffer.from('x')), 'InvalidArgument', 400);
    }
    await kit.put(bucket, 'k', uploadId, 10000, Buffer.from('x'));
  });

  it('answers NoSuchUpload after abort, after complete and for unknown ids', async () => {
    const bucket = await kit.newBucket();
    const aborted = await kit.start(bucket, 'a');
    const p = await kit.put(bucket, 'a', aborted, 1, Buffer.from('x'));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'a', UploadId: aborted }));
    const completed = await kit.start(bucket, 'c');
    const q = await kit.put(bucket, 'c', completed, 1, Buffer.from('y'));
    await kit.complete(bucket, 'c', completed, [q]);

    const cases: { key: string; uploadId: string; part: CompletedPart }[] = [
      { key: 'a', uploadId: aborted, part: p },
      { key: 'c', uploadId: completed, part: q },
      { key: 'a', uploadId: 'no-such-upload-id', part: p },
      // A real upload id under another key is no upload of that key.
      { key: 'other', uploadId: aborted, part: p },
    ];
    for (const c of cases) {
      const ops: [string, () => Promise<unknown>][] = [
        ['UploadPart', () => kit.put(bucket, c.key, c.uploadId, 2, Buffer.from('z'))],
        [
          'ListParts',
          () => s3.send(new ListPartsCommand({ Bucket: bucket, Key: c.key, UploadId: c.uploadId })),
        ],
        ['Complete', () => kit.complete(bucket, c.key, c.uploadId, [c.part])],
        [
          'Abort',
          () =>
            s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: c.key, UploadId: c.uploadId })),
        ],
      ];
      for (const [op, run] of ops) {
        await rejectsWith(run(), 'NoSuchUpload', 404).catch((e: unknown) => {
          throw new Error(`${op} on ${c.key}/${c.uploadId}`, { cause: e });
        });
      }
    }
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c' }));
    assert.equal(await got.Body?.transformToString(), 'y');
  });
});
