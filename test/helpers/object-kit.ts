/**
 * Small helpers the object end-to-end tests share: asserting on S3 errors as
 * the SDK reports them, reading response bodies, and emptying a bucket
 * (every version and delete marker) before deleting it.
 */
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Asserts that `p` fails with S3 error `code` and HTTP `status`; returns the error. */
export async function rejectsWith(
  p: Promise<unknown>,
  code: string,
  status: number,
): Promise<S3ServiceException> {
  let caught: S3ServiceException | undefined;
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, `expected an S3 error, got ${String(e)}`);
    assert.equal(e.name, code, `error code (message: ${e.message})`);
    assert.equal(e.$metadata.httpStatusCode, status, 'HTTP status');
    caught = e;
    return true;
  });
  return caught!;
}

/**
 * Asserts that `p` fails with HTTP `status` only: for responses S3 sends
 * without a body (HEAD errors, 304) the SDK has no error code to report.
 */
export async function rejectsWithStatus(p: Promise<unknown>, status: number): Promise<S3ServiceException> {
  let caught: S3ServiceException | undefined;
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof S3ServiceException, `expected an S3 error, got ${String(e)}`);
    assert.equal(e.$metadata.httpStatusCode, status, 'HTTP status');
    caught = e;
    return true;
  });
  return caught!;
}

/** A response header of a failed request. */
export function errorHeader(e: S3ServiceException, name: string): string | undefined {
  return e.$response?.headers[name];
}

/** The whole body of a GetObject response. */
export async function bodyBytes(body: unknown): Promise<Buffer> {
  assert.ok(body instanceof Readable, 'response has a streaming body');
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export async function bodyText(body: unknown): Promise<string> {
  return (await bodyBytes(body)).toString('utf8');
}

export const md5Base64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
export const sha256Base64 = (b: Buffer | string) => createHash('sha256').update(b).digest('base64');
export const quotedMd5 = (b: Buffer | string) => `"${createHash('md5').update(b).digest('hex')}"`;

/** Deletes every version and delete marker in `bucket`, then the bucket. */
export async function emptyAndDeleteBucket(s3: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) break;
    const res = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
    assert.deepEqual(res.Errors ?? [], [], 'emptying the bucket');
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
}
