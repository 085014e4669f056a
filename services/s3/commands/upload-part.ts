/**
 * UploadPart: PUT /bucket/key?partNumber=N&uploadId=ID
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
 *
 * The body streams into the store, checked against Content-Length,
 * Content-MD5 and an x-amz-checksum-* header or aws-chunked trailer (the SDKs
 * send a trailing CRC32 by default). Uploading a part number again replaces
 * the earlier part.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { CHECKSUM_HEADERS } from '../checksum-headers.js';
import { objectKey, partNumberOf, uploadIdOf } from '../multipart-request.js';
import { parseBodyChecks } from '../put-options.js';
import type { S3Handler } from '../types.js';

export const uploadPart: S3Handler = async (req, { store, config }) => {
  const bucket = bucketInfoOf(req).name;
  const key = objectKey(req);
  const partNumber = partNumberOf(req.query);
  const uploadId = uploadIdOf(req.query);
  // Looked up first so an unknown upload is NoSuchUpload before any of the body is read.
  const upload = store.getMultipartUpload(bucket, key, uploadId);
  const checks = parseBodyChecks(req, config);
  const part = await store.uploadPart(bucket, key, uploadId, partNumber, req.body, checks);
  const alg = checks.checksumAlgorithm ?? upload.checksumAlgorithm;
  return {
    status: 200,
    headers: {
      etag: part.etag,
      ...(alg !== undefined && part.checksum !== undefined ? { [CHECKSUM_HEADERS[alg]]: part.checksum } : {}),
    },
  };
};
