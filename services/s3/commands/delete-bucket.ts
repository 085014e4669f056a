/**
 * DeleteBucket: 204; BucketNotEmpty while any object version remains.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';

export const deleteBucket: S3Handler = async (req, { store }) => {
  store.deleteBucket(bucketInfoOf(req).name);
  return { status: 204 };
};
