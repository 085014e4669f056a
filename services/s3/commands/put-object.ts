/**
 * PutObject: PUT /bucket/key
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 *
 * The store streams the body, verifies size, Content-MD5 and checksum, and
 * applies the conditional-write headers (If-None-Match: * → 412 when the key
 * exists). The response echoes the ETag, the version id of a bucket with
 * versioning configured, and the checksum the client asked for.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { checksumResponseHeaders } from '../checksum-headers.js';
import { objectKey } from '../multipart-request.js';
import { versionIdHeader } from '../object-headers.js';
import { parsePutOptions } from '../put-options.js';
import type { S3Handler } from '../types.js';

export const putObject: S3Handler = async (req, { store, config }) => {
  const bucket = bucketInfoOf(req);
  const key = objectKey(req);
  const opts = parsePutOptions(req, config);
  const version = await store.putObject(bucket.name, key, req.body, opts);
  return {
    status: 200,
    headers: {
      etag: version.etag,
      ...versionIdHeader(bucket, version.versionId),
      ...checksumResponseHeaders(version.checksumAlgorithm, version.checksum),
    },
  };
};
