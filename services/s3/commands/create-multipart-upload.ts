/**
 * CreateMultipartUpload: POST /bucket/key?uploads
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
 *
 * Takes the headers PutObject takes for what the object will be stored with
 * (Content-Type & co, x-amz-meta-*, x-amz-tagging, storage class) plus
 * x-amz-checksum-algorithm, the algorithm every part must then carry. There is
 * no body to check here; the parts bring theirs.
 */
import { errors } from '../../../shared/errors.js';
import type { ChecksumAlgorithm } from '../../store/types.js';
import { bucketInfoOf } from '../bucket-request.js';
import { checksumAlgorithmOf } from '../checksum-headers.js';
import { objectKey } from '../multipart-request.js';
import { checkKeyLength, header, parseObjectAttributes } from '../put-options.js';
import type { S3Handler, S3Request } from '../types.js';
import { renderXml } from '../xml.js';

/**
 * x-amz-checksum-type: the store builds COMPOSITE multipart checksums (a
 * checksum of the part checksums); FULL_OBJECT is not implemented.
 */
function checkChecksumType(req: S3Request, alg: ChecksumAlgorithm | undefined): void {
  const type = header(req.headers, 'x-amz-checksum-type');
  if (type === undefined) return;
  const upper = type.trim().toUpperCase();
  if (upper === 'FULL_OBJECT') throw errors.notImplemented('The FULL_OBJECT checksum type');
  if (upper !== 'COMPOSITE') throw errors.invalidRequest('Value for x-amz-checksum-type header is invalid.');
  if (alg === undefined) {
    throw errors.invalidRequest(
      'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
    );
  }
}

export const createMultipartUpload: S3Handler = async (req, { store }) => {
  const bucket = bucketInfoOf(req).name;
  const key = objectKey(req);
  checkKeyLength(key);
  const named = header(req.headers, 'x-amz-checksum-algorithm');
  const checksumAlgorithm =
    named === undefined ? undefined : checksumAlgorithmOf(named, 'x-amz-checksum-algorithm');
  checkChecksumType(req, checksumAlgorithm);
  const upload = store.createMultipartUpload(bucket, key, req.user, {
    ...parseObjectAttributes(req),
    checksumAlgorithm,
    signal: req.signal,
  });
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      'x-amz-checksum-algorithm': upload.checksumAlgorithm,
      'x-amz-checksum-type': upload.checksumAlgorithm === undefined ? undefined : 'COMPOSITE',
    },
    body: renderXml('InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: upload.uploadId }),
  };
};
