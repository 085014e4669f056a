/**
 * AbortMultipartUpload: DELETE /bucket/key?uploadId=ID
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
 *
 * Discards the upload and every part stored for it; the upload id is then
 * unknown (NoSuchUpload) to every multipart operation.
 */
import { bucketInfoOf } from '../bucket-request.js';
import { objectKey, uploadIdOf } from '../multipart-request.js';
import type { S3Handler } from '../types.js';

export const abortMultipartUpload: S3Handler = async (req, { store }) => {
  store.abortMultipartUpload(bucketInfoOf(req).name, objectKey(req), uploadIdOf(req.query));
  return { status: 204 };
};
