/**
 * Authentication end to end, against a running Strata node: the real
 * S3Client with bad credentials and a skewed clock, presigned URLs from
 * @aws-sdk/s3-request-presigner used with fetch(), requests without
 * credentials, the SDK's default aws-chunked upload with a trailing CRC32,
 * and hand-built signed-chunk uploads over node:http.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { bodyBytes, emptyAndDeleteBucket, rejectsWith, rejectsWithStatus } from '../helpers/object-kit.js';
import { signedChunkedBody, signRequest } from '../helpers/sigv4-sign.js';
import { bucketName, startStrata, type TestStrata } from '../helpers/strata.js';

/** The Code and Message of an S3 error document. */
function errorOf(xml: string): { code: string | undefined; message: string | undefined } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(xml)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(xml)?.[1],
  };
}

/** Sends bytes exactly as given, over node:http. */
function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('authentication', () => {
  let strata: TestStrata;
  const clients: S3Client[] = [];
  const buckets: string[] = [];

  /** An S3Client for this node with its own options (closed after the suite). */
  function client(
    opts: { accessKey?: string; secretKey?: string; systemClockOffset?: number; maxAttempts?: number } = {},
  ): S3Client {
    const c = new S3Client({
      endpoint: strata.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: opts.accessKey ?? strata.accessKey,
        secretAccessKey: opts.secretKey ?? strata.secretKey,
      },
      systemClockOffset: opts.systemClockOffset,
      maxAttempts: opts.maxAttempts,
    });
    clients.push(c);
    return c;
  }

  async function newBucket(): Promise<string> {
    const b = bucketName('auth');
    await strata.s3.send(new CreateBucketCommand({ Bucket: b }));
    buckets.push(b);
    return b;
  }

  before(async () => {
    strata = await startStrata();
  });
  afterEach(async () => {
    for (const b of buckets.splice(0)) await emptyAndDeleteBucket(strata.s3, b);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await strata.close();
  });

  describe('the credentials of the S3Client', () => {
    const cases: Array<
      [name: string, opts: () => Parameters<typeof client>[0], code: string, status: number]
    > = [
      ['a wrong secret key', () => ({ secretKey: 'not-the-secret-key' }), 'SignatureDoesNotMatch', 403],
      ['an unknown access key', () => ({ accessKey: 'AKIANOSUCHKEY0000000' }), 'InvalidAccessKeyId', 403],
      // maxAttempts 1: the SDK would otherwise correct its clock from the answer and retry.
      [
        'a clock an hour slow',
        () => ({ systemClockOffset: -3600_000, maxAttempts: 1 }),
        'RequestTimeTooSkewed',
        403,
      ],
      [
        'a clock an hour fast',
        () => ({ systemClockOffset: 3600_000, maxAttempts: 1 }),
        'RequestTimeTooSkewed',
        403,
      ],
    ];
    for (const [name, opts, code, status] of cases) {
      it(`${name} is ${code}`, async () => {
        await rejectsWith(client(opts()).send(new ListBucketsCommand({})), code, status);
      });
    }

    it('the right ones list the buckets', async () => {
      const bucket = await newBucket();
      const out = await client().send(new ListBucketsCommand({}));
      assert.ok(out.Buckets?.some((b) => b.Name === bucket));
    });

    it("a skewed client corrects its clock from the server's answer and then gets in", async () => {
      const s3 = client({ systemClockOffset: -3600_000, maxAttempts: 1 });
      await rejectsWith(s3.send(new ListBucketsCommand({})), 'RequestTimeTooSkewed', 403);
      assert.ok(Math.abs(s3.config.systemClockOffset ?? 0) < 60_000, 'offset taken from ServerTime / Date');
      await s3.send(new ListBucketsCommand({}));
    });
  });

  describe('a request without credentials', () => {
    it('is 403 AccessDenied with an XML error document', async () => {
      const bucket = await newBucket();
      for (const path of ['/', `/${bucket}`, `/${bucket}/some-key`]) {
        const res = await fetch(`${strata.endpoint}${path}`);
        assert.equal(res.status, 403, path);
        assert.match(res.headers.get('content-type') ?? '', /xml/);
        assert.deepEqual(errorOf(await res.text()), { code: 'AccessDenied', message: 'Access Denied' }, path);
      }
    });

    it('cannot write either', async () => {
      const bucket = await newBucket();
      const res = await fetch(`${strata.endpoint}/${bucket}/k`, { method: 'PUT', body: 'data' });
      assert.equal(res.status, 403);
      await rejectsWithStatus(strata.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
    });

    it('Signature Version 2 is refused with InvalidRequest', async () => {
      const res = await fetch(`${strata.endpoint}/`, {
        headers: { authorization: `AWS ${strata.accessKey}:c2lnbmF0dXJl` },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(errorOf(await res.text()), {
        code: 'InvalidRequest',
        message:
          'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      });
    });
  });

  describe('presigned URLs', () => {
    it('PUT and then GET an object with fetch()', async () => {
      const bucket = await newBucket();
      const key = 'dir/presigned file+name (1).txt';
      const putUrl = await getSignedUrl(strata.s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: 60,
      });
      const put = await fetch(putUrl, { method: 'PUT', body: 'presigned body' });
      assert.equal(put.status, 200, await put.clone().text());
      const getUrl = await getSignedUrl(strata.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: 60,
      });
      const get = await fetch(getUrl);
      assert.equal(get.status, 200);
      assert.equal(await get.text(), 'presigned body');
    });

    it('an expired URL is 403 AccessDenied "Request has expired"', async () => {
      const bucket = await newBucket();
      await strata.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      const url = await getSignedUrl(strata.s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), {
        expiresIn: 1,
        signingDate: new Date(Date.now() - 3600_000),
      });
      const res = await fetch(url);
      assert.equal(res.status, 403);
      assert.deepEqual(errorOf(await res.text()), { code: 'AccessDenied', message: 'Request has expired' });
    });

    it('a URL for another key does not open this one', async () => {
      const bucket = await newBucket();
      await strata.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x' }));
      const url = await getSignedUrl(strata.s3, new GetObjectCommand({ Bucket: bucket, Key: 'a' }), {
        expiresIn: 60,
      });
      const res = await fetch(url.replace(`/${bucket}/a?`, `/${bucket}/b?`));
      assert.equal(res.status, 403);
      assert.equal(errorOf(await res.text()).code, 'SignatureDoesNotMatch');
    });
  });

  describe('payloads', () => {
    it("PutObject with the SDK's default checksum trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER) stores the bytes", async () => {
      const bucket = await newBucket();
      const s3 = client();
      const sent: Record<string, string> = {};
      s3.middlewareStack.add(
        (next) => async (args) => {
          Object.assign(sent, (args.request as { headers: Record<string, string> }).headers);
          return next(args);
        },
        { step: 'finalizeRequest', name: 'captureHeaders', priority: 'low' },
      );
      const data = randomBytes(300 * 1024 + 17);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'streamed',
          Body: Readable.from([data]),
          ContentLength: data.length,
        }),
      );
      assert.equal(sent['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
      assert.equal(sent['x-amz-trailer'], 'x-amz-checksum-crc32');
      const got = await strata.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed' }));
      assert.deepEqual(await bodyBytes(got.Body), data);
    });

    it('a body that does not match its signed SHA-256 is XAmzContentSHA256Mismatch and stores nothing', async () => {
      const bucket = await newBucket();
      const signed = signRequest(
        { accessKey: strata.accessKey, secretKey: strata.secretKey, region: 'us-east-1' },
        {
          method: 'PUT',
          path: `/${bucket}/k`,
          headers: { host: `127.0.0.1:${strata.port}` },
          date: new Date(),
          payloadHash: 'a'.repeat(64),
        },
      );
      const res = await rawRequest(
        strata.port,
        'PUT',
        signed.target,
        { ...signed.headers, 'content-length': '4' },
        Buffer.from('data'),
      );
      assert.equal(res.status, 400);
      assert.equal(errorOf(res.text).code, 'XAmzContentSHA256Mismatch');
      await rejectsWithStatus(strata.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), 404);
    });

    const chunked = [
      ['intact signed chunks are stored', false, 200, undefined],
      [
        'a tampered chunk signature is SignatureDoesNotMatch and stores nothing',
        true,
        403,
        'SignatureDoesNotMatch',
      ],
    ] as const;
    for (const [name, tamper, status, code] of chunked) {
      it(`STREAMING-AWS4-HMAC-SHA256-PAYLOAD over node:http: ${name}`, async () => {
        const bucket = await newBucket();
        const payload = randomBytes(3 * 8192 + 100);
        const headers = {
          host: `127.0.0.1:${strata.port}`,
          'content-encoding': 'aws-chunked',
          'x-amz-decoded-content-length': String(payload.length),
        };
        const signed = signRequest(
          { accessKey: strata.accessKey, secretKey: strata.secretKey, region: 'us-east-1' },
          {
            method: 'PUT',
            path: `/${bucket}/chunked`,
            headers,
            date: new Date(),
            payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
          },
        );
        let body = signedChunkedBody(signed, payload, 8192);
        if (tamper) {
          // One hex digit of the second chunk's signature.
          const text = body.toString('latin1');
          const at =
            text.indexOf('chunk-signature=', text.indexOf('chunk-signature=') + 1) +
            'chunk-signature='.length;
          body = Buffer.from(
            text.slice(0, at) + (text[at] === '0' ? '1' : '0') + text.slice(at + 1),
            'latin1',
          );
        }
        const res = await rawRequest(
          strata.port,
          'PUT',
          signed.target,
          { ...signed.headers, 'content-length': String(body.length) },
          body,
        );
        assert.equal(res.status, status, res.text);
        if (code !== undefined) {
          assert.equal(errorOf(res.text).code, code);
          await rejectsWithStatus(
            strata.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'chunked' })),
            404,
          );
        } else {
          const got = await strata.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked' }));
          assert.deepEqual(await bodyBytes(got.Body), payload);
        }
      });
    }
  });
});
