/**
 * Browser-form uploads (POST Object) end to end: a signed POST policy posted
 * with fetch() and FormData as a browser would, then read back with the real
 * S3Client: the stored bytes, Content-Type and metadata, and each kind of
 * success answer (204, 200, 201 with PostResponse, 303 redirect).
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { bodyBytes } from '../helpers/object-kit.js';
import { postForm, signedFields, type PostFile, type PostOptions } from '../helpers/post-form.js';
import { strataSuite } from '../helpers/strata-suite.js';

const TITLE = 'POST Object (browser-form upload)';

describe(TITLE, () => {
  const suite = strataSuite({ bucketPrefix: 'post', cleanup: 'afterEach' });
  const { newBucket } = suite;
  const post = (o: PostOptions, file: PostFile, bucket?: string) => postForm(suite.strata, o, file, bucket);
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
    assert.equal(res.headers.get('location'), `${suite.strata.endpoint}/${bucket}/uploads%2Fphoto.png`);
    const got = await suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/photo.png' }));
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
    const got = await suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
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
    assert.match(xml, new RegExp(`<Location>${suite.strata.endpoint}/${bucket}/dir%2Fa%20b.txt</Location>`));
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

  it('ignores fields after the file, as S3 does', async () => {
    const bucket = await newBucket();
    const form = new FormData();
    for (const [n, v] of signedFields(suite.strata, {
      bucket,
      conditions: [{ key: 'k' }],
      fields: [['key', 'k']],
    }))
      form.append(n, v);
    form.append('file', new Blob([Buffer.from('body')]), 'f.txt');
    form.append('x-amz-meta-late', 'ignored');
    const res = await fetch(`${suite.strata.endpoint}/${bucket}`, { method: 'POST', body: form });
    assert.equal(res.status, 204);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    assert.deepEqual(head.Metadata, {});
  });
});
