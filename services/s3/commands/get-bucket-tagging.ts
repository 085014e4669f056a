/**
 * GetBucketTagging: the bucket's tag set; NoSuchTagSet when it has none.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html
 */
import { errors } from '../../../shared/errors.js';
import { bucketInfoOf } from '../bucket-request.js';
import { renderTagging } from '../tagging.js';
import type { S3Handler } from '../types.js';

export const getBucketTagging: S3Handler = async (req, { store }) => {
  const name = bucketInfoOf(req).name;
  const tags = store.getBucketTagging(name);
  if (tags === undefined || tags.length === 0)
    throw errors.make('NoSuchTagSet', undefined, { BucketName: name });
  return { headers: { 'content-type': 'application/xml' }, body: renderTagging(tags) };
};
