/**
 * PutBucketTagging: replaces the bucket's tag set (at most 50 tags); 204.
 * An empty TagSet removes the tags, as DeleteBucketTagging does. Like S3, the
 * body must carry a Content-MD5 or x-amz-checksum-* (InvalidRequest otherwise).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
 */
import { readVerifiedBody } from '../body-digest.js';
import { bucketInfoOf } from '../bucket-request.js';
import { BUCKET_TAG_LIMIT, parseTaggingXml } from '../tagging.js';
import type { S3Handler } from '../types.js';

export const putBucketTagging: S3Handler = async (req, { store }) => {
  const name = bucketInfoOf(req).name;
  const tags = parseTaggingXml(await readVerifiedBody(req, { limit: 64 * 1024, required: true }), {
    maxTags: BUCKET_TAG_LIMIT,
  });
  store.putBucketTagging(name, tags.length === 0 ? undefined : tags);
  return { status: 204 };
};
