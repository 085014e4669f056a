/**
 * UploadPartCopy: PUT /bucket/key?partNumber=N&uploadId=ID with x-amz-copy-source
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 *
 * A part made from an existing object, or from the byte range named by
 * x-amz-copy-source-range ("bytes=first-last", inside the source, else
 * InvalidArgument as S3 answers). The caller must be able to use the source
 * bucket too; the x-amz-copy-source-if-* conditions are checked by the store
 * against the very version it copies.
 */
import { errors } from '../../../shared/errors.js';
import { requireBucketAccess } from '../access.js';
import { bucketInfoOf } from '../bucket-request.js';
import { checkPreconditions, readPreconditions } from '../conditions.js';
import { parseCopySource } from '../copy-source.js';
import { checksumElement, objectKey, partNumberOf, uploadIdOf } from '../multipart-request.js';
import { header } from '../put-options.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const uploadPartCopy: S3Handler = async (req, { store, config }) => {
  const bucket = bucketInfoOf(req).name;
  const key = objectKey(req);
  const partNumber = partNumberOf(req.query);
  const uploadId = uploadIdOf(req.query);
  const source = parseCopySource(header(req.headers, 'x-amz-copy-source'));
  const range = header(req.headers, 'x-amz-copy-source-range');
  const sourceBucket = requireBucketAccess(store, source.bucket, req.user);
  // The upload's checksum algorithm is the one the copied part is checksummed with.
  const upload = store.getMultipartUpload(bucket, key, uploadId);
  const conditions = readPreconditions(req.headers, 'x-amz-copy-source-');
  const { part, sourceVersion } = await store.uploadPartCopy(
    bucket,
    key,
    uploadId,
    partNumber,
    { bucket: source.bucket, key: source.key, versionId: source.versionId, range },
    {
      sourceCondition: (v) => {
        checkPreconditions(v, conditions, 'copy-source');
        if (range === undefined && v.size > config.maxObjectSize) {
          throw errors.invalidRequest(
            `The specified copy source is larger than the maximum allowable size for a copy source: ${config.maxObjectSize}`,
          );
        }
      },
      signal: req.signal,
    },
  );
  const alg = upload.checksumAlgorithm;
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      'x-amz-copy-source-version-id':
        sourceBucket.versioning === undefined ? undefined : sourceVersion.versionId,
    },
    body: renderXml('CopyPartResult', {
      ETag: part.etag,
      LastModified: part.lastModified,
      ...(alg !== undefined && part.checksum !== undefined ? { [checksumElement(alg)]: part.checksum } : {}),
    }),
  };
};
