/**
 * DeleteBucketTagging: removes the tag set; 204 whether or not there was one.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketTagging.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';

export const deleteBucketTagging: S3Handler = async (req, { store }) => {
  store.putBucketTagging(bucketInfoOf(req).name, undefined);
  return { status: 204 };
};
