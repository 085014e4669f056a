/**
 * DeleteBucketCors: removes the CORS rules; 204 whether or not there were any.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';

export const deleteBucketCors: S3Handler = async (req, { store }) => {
  store.putBucketCors(bucketInfoOf(req).name, undefined);
  return { status: 204 };
};
