/**
 * Browser-form uploads (POST Object) that S3 refuses: each violation of the
 * policy, a bad signature, size limits enforced while the file streams, and
 * malformed forms get S3's error, and nothing is stored.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { rejectsWithStatus } from '../helpers/object-kit.js';
import { errorOf, postForm, type PostFile, type PostOptions } from '../helpers/post-form.js';
import { bucketName } from '../helpers/strata.js';
import { strataSuite } from '../helpers/strata-suite.js';

const TITLE = 'POST Object refusals';

describe(TITLE, () => {
  const suite = strataSuite({ bucketPrefix: 'post', cleanup: 'afterEach' });
  const { newBucket } = suite;
  const post = (o: PostOptions, file: PostFile, bucket?: string) => postForm(suite.strata, o, file, bucket);
  const refusals: Array<
    [
      name: string,
      options: (bucket: string) => PostOptions,
      file: Buffer,
      status: number,
      code: string,
      message?: string,
    ]
  > = [
    [
      'a key outside the allowed prefix',
      (bucket) => ({
        bucket,
        conditions: [['starts-with', '$key', 'uploads/']],
        fields: [['key', 'elsewhere/x']],
      }),
      Buffer.from('x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]',
    ],
    [
      'a file over content-length-range',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }, ['content-length-range', 1, 10]],
        fields: [['key', 'k']],
      }),
      Buffer.alloc(11, 'a'),
      400,
      'EntityTooLarge',
    ],
    [
      'a file far over content-length-range',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }, ['content-length-range', 1, 1024]],
        fields: [['key', 'k']],
      }),
      Buffer.alloc(3 * 1024 * 1024, 'a'),
      400,
      'EntityTooLarge',
    ],
    [
      'a file under content-length-range',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }, ['content-length-range', 5, 10]],
        fields: [['key', 'k']],
      }),
      Buffer.from('abc'),
      400,
      'EntityTooSmall',
    ],
    [
      'an expired policy',
      (bucket) => ({ bucket, conditions: [{ key: 'k' }], fields: [['key', 'k']], expiresInSeconds: -60 }),
      Buffer.from('x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Policy expired.',
    ],
    [
      'a field the policy does not name',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }],
        fields: [
          ['key', 'k'],
          ['x-amz-meta-extra', '1'],
        ],
      }),
      Buffer.from('x'),
      403,
      'AccessDenied',
      'Invalid according to Policy: Extra input fields: x-amz-meta-extra',
    ],
    [
      'a field changed after signing',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }],
        fields: [['key', 'k']],
        tamper: (f) => void (f.find(([n]) => n === 'Policy')![1] += 'AA'),
      }),
      Buffer.from('x'),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'a wrong secret key',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }],
        fields: [['key', 'k']],
        secretKey: 'not-the-secret',
      }),
      Buffer.from('x'),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'an unknown access key',
      (bucket) => ({
        bucket,
        conditions: [{ key: 'k' }],
        fields: [['key', 'k']],
        accessKey: 'AKIANOSUCHKEY',
      }),
      Buffer.from('x'),
      403,
      'InvalidAccessKeyId',
    ],
    [
      'no key field',
      (bucket) => ({ bucket }),
      Buffer.from('x'),
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    ],
    [
      'no signature (an anonymous upload)',
      (bucket) => ({ bucket, fields: [['key', 'k']], tamper: (f) => f.splice(0, f.length, ['key', 'k']) }),
      Buffer.from('x'),
      403,
      'AccessDenied',
      'Access Denied',
    ],
  ];
  for (const [name, options, file, status, code, message] of refusals) {
    it(`refuses ${name} with ${code} and stores nothing`, async () => {
      const bucket = await newBucket();
      const res = await post(options(bucket), { data: file });
      const err = await errorOf(res);
      assert.deepEqual(err, { status, code, message: message ?? err.message });
      await rejectsWithStatus(suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
    });
  }

  it('refuses more than 20 KB of fields before the file with MaxPostPreDataLengthExceeded', async () => {
    const bucket = await newBucket();
    const res = await post(
      {
        bucket,
        conditions: [{ key: 'k' }],
        fields: [
          ['key', 'k'],
          ['x-ignore-padding', 'p'.repeat(21 * 1024)],
        ],
      },
      { data: Buffer.from('x') },
    );
    assert.deepEqual(await errorOf(res), {
      status: 400,
      code: 'MaxPostPreDataLengthExceeded',
      message: 'Your POST request fields preceeding the upload file was too large.',
    });
  });

  it('refuses a body that is not multipart/form-data with MalformedPOSTRequest', async () => {
    const bucket = await newBucket();
    const cases: Array<[contentType: string, body: string]> = [
      ['multipart/form-data', 'no boundary'],
      [
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--xy',
      ],
    ];
    for (const [contentType, body] of cases) {
      const res = await fetch(`${suite.strata.endpoint}/${bucket}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      const err = await errorOf(res);
      assert.equal(err.status, 400, contentType);
      assert.ok(
        ['MalformedPOSTRequest', 'IncompleteBody'].includes(err.code ?? ''),
        `${contentType}: ${err.code}`,
      );
    }
  });

  it('refuses a bucket that does not exist with NoSuchBucket', async () => {
    const missing = bucketName('post-missing');
    const res = await post(
      { bucket: missing, conditions: [{ key: 'k' }], fields: [['key', 'k']] },
      { data: Buffer.from('x') },
    );
    assert.deepEqual(await errorOf(res), {
      status: 404,
      code: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
    });
  });

  it("refuses another user's bucket with AccessDenied", async () => {
    const bucket = await newBucket();
    const other = suite.strata.node.store.createUser(
      `post-user-${randomBytes(4).toString('hex')}`,
      `AKPOST${randomBytes(6).toString('hex').toUpperCase()}`,
      'other-user-secret-key',
    );
    const res = await post(
      {
        bucket,
        conditions: [{ key: 'k' }],
        fields: [['key', 'k']],
        accessKey: other.accessKey,
        secretKey: other.secretKey,
      },
      { data: Buffer.from('x') },
    );
    assert.deepEqual(await errorOf(res), { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    await rejectsWithStatus(suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
  });
});
