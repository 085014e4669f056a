/**
 * Browser-form uploads (POST Object) end to end: a signed POST policy built
 * as a web app's backend would, posted with fetch() and FormData as a browser
 * would, then read back with the real S3Client.
 * (@aws-sdk/s3-presigned-post is not installed, so the policy and its
 * signature are built here from the AWS pages.)
 */
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { bodyBytes, emptyAndDeleteBucket, rejectsWithStatus } from '../helpers/object-kit.js';
import { signingKeyOf } from '../helpers/sigv4-sign.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

interface PostOptions {
  readonly bucket: string;
  /** Conditions besides bucket and the signing fields. */
  readonly conditions?: unknown[];
  /** Form fields before the file (besides the signing fields). */
  readonly fields?: Array<[string, string]>;
  readonly expiresInSeconds?: number;
  readonly accessKey?: string;
  readonly secretKey?: string;
  /** Changes the fields after signing (to forge a request). */
  readonly tamper?: (fields: Array<[string, string]>) => void;
}

function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

describe('POST Object (browser-form upload)', () => {
  let strata: TestStrata;
  let s3: S3Client;
  const buckets: string[] = [];

  before(async () => {
    strata = await startStrata();
    s3 = strata.s3;
  });
  afterEach(async () => {
    for (const b of buckets.splice(0)) await emptyAndDeleteBucket(s3, b);
  });
  after(() => strata.close());

  async function newBucket(): Promise<string> {
    const b = bucketName('post');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    buckets.push(b);
    return b;
  }

  /** The form fields of a signed POST policy, in the order a page would put them. */
  function signedFields(o: PostOptions): Array<[string, string]> {
    const now = new Date();
    const accessKey = o.accessKey ?? strata.accessKey;
    const credential = `${accessKey}/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`;
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(now.getTime() + (o.expiresInSeconds ?? 300) * 1000).toISOString(),
        conditions: [
          { bucket: o.bucket },
          ...(o.conditions ?? []),
          { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
          { 'x-amz-credential': credential },
          { 'x-amz-date': amzDate(now) },
        ],
      }),
    ).toString('base64');
    const key = signingKeyOf(o.secretKey ?? strata.secretKey, amzDate(now).slice(0, 8), 'us-east-1');
    const fields: Array<[string, string]> = [
      ...(o.fields ?? []),
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', credential],
      ['X-Amz-Date', amzDate(now)],
      ['Policy', policy],
      ['X-Amz-Signature', createHmac('sha256', key).update(policy).digest('hex')],
    ];
    o.tamper?.(fields);
    return fields;
  }

  async function post(
    o: PostOptions,
    file: { data: Buffer; name?: string; type?: string },
    bucket = o.bucket,
  ): Promise<Response> {
    const form = new FormData();
    for (const [n, v] of signedFields(o)) form.append(n, v);
    form.append(
      'file',
      new Blob([file.data], { type: file.type ?? 'application/octet-stream' }),
      file.name ?? 'upload.bin',
    );
    return fetch(`${strata.endpoint}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
  }

  const ENTITIES: Record<string, string> = {
    '&quot;': '"',
    '&apos;': "'",
    '&lt;': '<',
    '&gt;': '>',
    '&amp;': '&',
  };
  const unescape = (s: string | undefined) => s?.replace(/&(?:quot|apos|lt|gt|amp);/g, (e) => ENTITIES[e]!);

  async function errorOf(res: Response): Promise<{ status: number; code?: string; message?: string }> {
    const xml = await res.text();
    return {
      status: res.status,
      code: /<Code>([^<]*)</.exec(xml)?.[1],
      message: unescape(/<Message>([^<]*)</.exec(xml)?.[1]),
    };
  }

  const quotedMd5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

  it('stores the file with its Content-Type and metadata, and answers 204 by default', async () => {
    const bucket = await newBucket();
    const data = randomBytes(64 * 1024 + 3);
    const res = await post(
      {
        bucket,
        conditions: [
          ['starts-with', '$key', 'uploads/'],
          ['starts-with', '$Content-Type', 'image/'],
          { 'x-amz-meta-owner': 'alice' },
        ],
        fields: [
          ['key', 'uploads/${filename}'],
          ['Content-Type', 'image/png'],
          ['x-amz-meta-owner', 'alice'],
        ],
      },
      { data, name: 'photo.png', type: 'image/png' },
    );
    assert.equal(res.status, 204, await res.clone().text());
    assert.equal(res.headers.get('etag'), quotedMd5(data));
    assert.equal(res.headers.get('location'), `${strata.endpoint}/${bucket}/uploads%2Fphoto.png`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/photo.png' }));
    assert.equal(got.ContentType, 'image/png');
    assert.deepEqual(got.Metadata, { owner: 'alice' });
    assert.deepEqual(await bodyBytes(got.Body), data);
  });

  it('streams a large file into the store byte for byte', async () => {
    const bucket = await newBucket();
    const data = randomBytes(6 * 1024 * 1024 + 11);
    const res = await post(
      { bucket, conditions: [{ key: 'big.bin' }], fields: [['key', 'big.bin']] },
      { data },
    );
    assert.equal(res.status, 204);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    assert.deepEqual(await bodyBytes(got.Body), data);
  });

  it('success_action_status 201 answers a PostResponse document', async () => {
    const bucket = await newBucket();
    const data = Buffer.from('hello');
    const res = await post(
      {
        bucket,
        conditions: [{ key: 'dir/a b.txt' }, { success_action_status: '201' }],
        fields: [
          ['key', 'dir/a b.txt'],
          ['success_action_status', '201'],
        ],
      },
      { data },
    );
    assert.equal(res.status, 201);
    const xml = await res.text();
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><PostResponse>/);
    assert.match(xml, new RegExp(`<Bucket>${bucket}</Bucket>`));
    assert.match(xml, /<Key>dir\/a b.txt<\/Key>/);
    assert.match(xml, new RegExp(`<ETag>&quot;${createHash('md5').update(data).digest('hex')}&quot;</ETag>`));
    assert.match(xml, new RegExp(`<Location>${strata.endpoint}/${bucket}/dir%2Fa%20b.txt</Location>`));
  });

  it('success_action_status 200 answers an empty 200', async () => {
    const bucket = await newBucket();
    const res = await post(
      {
        bucket,
        conditions: [{ key: 'k' }, { success_action_status: '200' }],
        fields: [
          ['key', 'k'],
          ['success_action_status', '200'],
        ],
      },
      { data: Buffer.from('x') },
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  it('success_action_redirect answers 303 to that URL with bucket, key and etag', async () => {
    const bucket = await newBucket();
    const data = Buffer.from('redirected');
    const redirect = 'https://app.example.com/done?from=upload';
    const res = await post(
      {
        bucket,
        conditions: [{ key: 'r/1' }, ['starts-with', '$success_action_redirect', 'https://app.example.com/']],
        fields: [
          ['key', 'r/1'],
          ['success_action_redirect', redirect],
        ],
      },
      { data },
    );
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'https://app.example.com/done');
    assert.equal(location.searchParams.get('from'), 'upload');
    assert.equal(location.searchParams.get('bucket'), bucket);
    assert.equal(location.searchParams.get('key'), 'r/1');
    assert.equal(location.searchParams.get('etag'), quotedMd5(data));
  });

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
      await rejectsWithStatus(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
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
      const res = await fetch(`${strata.endpoint}/${bucket}`, {
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
    const other = strata.node.store.createUser(
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
    await rejectsWithStatus(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
  });

  it('ignores fields after the file, as S3 does', async () => {
    const bucket = await newBucket();
    const form = new FormData();
    for (const [n, v] of signedFields({ bucket, conditions: [{ key: 'k' }], fields: [['key', 'k']] }))
      form.append(n, v);
    form.append('file', new Blob([Buffer.from('body')]), 'f.txt');
    form.append('x-amz-meta-late', 'ignored');
    const res = await fetch(`${strata.endpoint}/${bucket}`, { method: 'POST', body: form });
    assert.equal(res.status, 204);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    assert.deepEqual(head.Metadata, {});
  });
});
