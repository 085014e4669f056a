/**
 * Conditional requests end to end: If-* on GetObject / HeadObject (412 and
 * 304), conditional writes on PutObject (If-None-Match: *, If-Match), and
 * x-amz-copy-source-if-* on CopyObject.
 */
import {
  CopyObjectCommand,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bodyText, errorHeader, rejectsWith, rejectsWithStatus } from '../helpers/object-kit.js';
import { strataSuite } from '../helpers/strata-suite.js';

type Conditions = Pick<
  GetObjectCommandInput,
  'IfMatch' | 'IfNoneMatch' | 'IfModifiedSince' | 'IfUnmodifiedSince'
>;

describe('conditional requests', () => {
  const suite = strataSuite({ bucketPrefix: 'cond' });
  let s3: S3Client;
  let bucket: string;
  let etag: string;
  let lastModified: Date;
  const hourAgo = () => new Date(lastModified.getTime() - 3600_000);
  const hourAhead = () => new Date(lastModified.getTime() + 3600_000);

  before(async () => {
    s3 = suite.s3;
    bucket = await suite.newBucket();
    etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: 'payload' }))).ETag!;
    lastModified = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj' }))).LastModified!;
  });

  describe('GetObject and HeadObject', () => {
    const cases: Array<{ name: string; cond: () => Conditions; status: 200 | 304 | 412 }> = [
      { name: 'If-Match the ETag', cond: () => ({ IfMatch: etag }), status: 200 },
      { name: 'If-Match *', cond: () => ({ IfMatch: '*' }), status: 200 },
      { name: 'If-Match another ETag', cond: () => ({ IfMatch: '"0000"' }), status: 412 },
      { name: 'If-Unmodified-Since later', cond: () => ({ IfUnmodifiedSince: hourAhead() }), status: 200 },
      { name: 'If-Unmodified-Since earlier', cond: () => ({ IfUnmodifiedSince: hourAgo() }), status: 412 },
      {
        name: 'If-Match true and If-Unmodified-Since false',
        cond: () => ({ IfMatch: etag, IfUnmodifiedSince: hourAgo() }),
        status: 200,
      },
      { name: 'If-None-Match the ETag', cond: () => ({ IfNoneMatch: etag }), status: 304 },
      { name: 'If-None-Match another ETag', cond: () => ({ IfNoneMatch: '"0000"' }), status: 200 },
      { name: 'If-Modified-Since earlier', cond: () => ({ IfModifiedSince: hourAgo() }), status: 200 },
      { name: 'If-Modified-Since later', cond: () => ({ IfModifiedSince: hourAhead() }), status: 304 },
      {
        name: 'If-None-Match false and If-Modified-Since true',
        cond: () => ({ IfNoneMatch: etag, IfModifiedSince: hourAgo() }),
        status: 304,
      },
      {
        name: 'If-None-Match true and If-Modified-Since false',
        cond: () => ({ IfNoneMatch: '"0000"', IfModifiedSince: hourAhead() }),
        status: 200,
      },
      {
        name: 'If-Match false and If-None-Match false',
        cond: () => ({ IfMatch: '"0000"', IfNoneMatch: etag }),
        status: 412,
      },
    ];
    for (const c of cases) {
      it(`${c.name} → ${c.status}`, async () => {
        const get = () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', ...c.cond() }));
        const head = () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', ...c.cond() }));
        if (c.status === 200) {
          assert.equal(await bodyText((await get()).Body), 'payload');
          assert.equal((await head()).ETag, etag);
        } else if (c.status === 412) {
          await rejectsWith(get(), 'PreconditionFailed', 412);
          await rejectsWithStatus(head(), 412);
        } else {
          for (const send of [get, head]) {
            const e = await rejectsWithStatus(send(), 304);
            assert.equal(errorHeader(e, 'etag'), etag);
            assert.equal(errorHeader(e, 'last-modified'), lastModified.toUTCString());
          }
        }
      });
    }

    it('ignores a date header that does not parse', async () => {
      const cmd = new GetObjectCommand({ Bucket: bucket, Key: 'obj' });
      cmd.middlewareStack.add(
        (next) => async (args) => {
          const h = (args.request as { headers: Record<string, string> }).headers;
          h['if-modified-since'] = 'not a date';
          h['if-unmodified-since'] = 'yesterday-ish';
          return next(args);
        },
        { step: 'build', name: 'badDates' },
      );
      assert.equal(await bodyText((await s3.send(cmd)).Body), 'payload');
    });
  });

  describe('PutObject conditional writes', () => {
    it('If-None-Match: * creates a new key and refuses an existing one with 412', async () => {
      const key = 'create-only';
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'first', IfNoneMatch: '*' }));
      await rejectsWith(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'second', IfNoneMatch: '*' })),
        'PreconditionFailed',
        412,
      );
      assert.equal(
        await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body),
        'first',
      );
    });

    it('If-Match writes only over the matching ETag; a missing key is NoSuchKey', async () => {
      const key = 'compare-and-swap';
      const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v1' }));
      await rejectsWith(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', IfMatch: '"0000"' })),
        'PreconditionFailed',
        412,
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'v2', IfMatch: first.ETag }));
      assert.equal(
        await bodyText((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body),
        'v2',
      );
      await rejectsWith(
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'absent', Body: 'x', IfMatch: first.ETag })),
        'NoSuchKey',
        404,
      );
    });
  });

  describe('CopyObject source conditions', () => {
    const cases: Array<{
      name: string;
      cond: () => Record<string, string | Date>;
      ok: boolean;
    }> = [
      { name: 'if-match the ETag', cond: () => ({ CopySourceIfMatch: etag }), ok: true },
      { name: 'if-match another ETag', cond: () => ({ CopySourceIfMatch: '"0000"' }), ok: false },
      { name: 'if-none-match the ETag', cond: () => ({ CopySourceIfNoneMatch: etag }), ok: false },
      { name: 'if-none-match another ETag', cond: () => ({ CopySourceIfNoneMatch: '"0000"' }), ok: true },
      {
        name: 'if-modified-since later',
        cond: () => ({ CopySourceIfModifiedSince: hourAhead() }),
        ok: false,
      },
      { name: 'if-modified-since earlier', cond: () => ({ CopySourceIfModifiedSince: hourAgo() }), ok: true },
      {
        name: 'if-unmodified-since earlier',
        cond: () => ({ CopySourceIfUnmodifiedSince: hourAgo() }),
        ok: false,
      },
      {
        name: 'if-match true and if-unmodified-since false',
        cond: () => ({ CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: hourAgo() }),
        ok: true,
      },
      {
        name: 'if-none-match false and if-modified-since true',
        cond: () => ({ CopySourceIfNoneMatch: etag, CopySourceIfModifiedSince: hourAgo() }),
        ok: false,
      },
    ];
    for (const [i, c] of cases.entries()) {
      it(`${c.name} → ${c.ok ? 'copied' : '412 PreconditionFailed, nothing written'}`, async () => {
        const dest = `copy-${i}`;
        const p = s3.send(
          new CopyObjectCommand({ Bucket: bucket, Key: dest, CopySource: `${bucket}/obj`, ...c.cond() }),
        );
        if (c.ok) {
          assert.equal((await p).CopyObjectResult?.ETag, etag);
        } else {
          await rejectsWith(p, 'PreconditionFailed', 412);
          await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: dest })), 'NotFound', 404);
        }
      });
    }
  });
});
