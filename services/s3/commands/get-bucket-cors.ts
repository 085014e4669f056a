/**
 * GetBucketCors: the bucket's CORS rules; NoSuchCORSConfiguration when none.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketCors.html
 */
import { errors } from '../../../shared/errors.js';
import { bucketInfoOf } from '../bucket-request.js';
import { renderCorsConfiguration } from '../cors-config.js';
import type { S3Handler } from '../types.js';

export const getBucketCors: S3Handler = async (req, { store }) => {
  const name = bucketInfoOf(req).name;
  const rules = store.getBucketCors(name);
  if (rules === undefined || rules.length === 0) {
    throw errors.make('NoSuchCORSConfiguration', undefined, { BucketName: name });
  }
  return { headers: { 'content-type': 'application/xml' }, body: renderCorsConfiguration(rules) };
};
