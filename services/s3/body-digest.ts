/**
 * Reads a small request body (an XML document) whole and checks it against
 * its Content-MD5 or x-amz-checksum-* value. S3 requires one of them on some
 * operations (DeleteObjects, PutObjectTagging as the SDKs send it):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 */
import { createHash } from 'node:crypto';
import { errors } from '../../shared/errors.js';
import { checksumOf } from '../store/checksums.js';
import { header, parseChecksum } from './put-options.js';
import type { S3Request } from './types.js';

/** Reads the body, refusing more than `limit` bytes. */
async function readBody(req: S3Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req.body) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > limit) throw errors.make('MaxMessageLengthExceeded');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * The body as text, verified. With `required`, a body that carries neither a
 * Content-MD5 nor a checksum is refused as S3 refuses it.
 */
export async function readVerifiedBody(
  req: S3Request,
  opts: { limit: number; required: boolean },
): Promise<string> {
  const md5 = header(req.headers, 'content-md5')?.trim();
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) {
    throw errors.make('InvalidDigest', undefined, { 'Content-MD5': md5 });
  }
  const checksum = parseChecksum(req);
  const body = await readBody(req, opts.limit);
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw errors.make('BadDigest', undefined, { ExpectedDigest: md5 });
  }
  const expected = checksum.checksumValue ?? checksum.trailingChecksum?.();
  if (checksum.checksumAlgorithm !== undefined && expected !== undefined) {
    if (checksumOf(checksum.checksumAlgorithm, body).toString('base64') !== expected) {
      throw errors.make(
        'BadDigest',
        `The ${checksum.checksumAlgorithm} you specified did not match the calculated checksum.`,
      );
    }
  } else if (md5 === undefined && opts.required) {
    throw errors.invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  }
  return body.toString('utf8');
}
