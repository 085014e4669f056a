/**
 * HeadBucket: 200 when the bucket exists and the caller may use it; the
 * server's access check answers 404 / 403 (without a body, as for any HEAD).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';

export const headBucket: S3Handler = async (req) => {
  const bucket = bucketInfoOf(req);
  return {
    headers: {
      'x-amz-bucket-region': bucket.region,
      'x-amz-access-point-alias': 'false',
    },
  };
};
