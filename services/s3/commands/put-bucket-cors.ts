/**
 * PutBucketCors: replaces the bucket's CORS rules (the document is limited to
 * 64 KB and 100 rules); 200 with an empty body. Like S3, the body must carry
 * a Content-MD5 or x-amz-checksum-* (InvalidRequest otherwise).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
 */
import { readVerifiedBody } from '../body-digest.js';
import { bucketInfoOf } from '../bucket-request.js';
import { parseCorsConfiguration } from '../cors-config.js';
import type { S3Handler } from '../types.js';

const MAX_DOCUMENT_BYTES = 64 * 1024;

export const putBucketCors: S3Handler = async (req, { store }) => {
  const name = bucketInfoOf(req).name;
  const rules = parseCorsConfiguration(
    await readVerifiedBody(req, { limit: MAX_DOCUMENT_BYTES, required: true }),
  );
  store.putBucketCors(name, rules);
  return {};
};
