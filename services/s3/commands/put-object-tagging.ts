/**
 * PutObjectTagging: PUT /bucket/key?tagging[&versionId=]
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
 *
 * Replaces the version's whole tag set (at most 10 tags). A Content-MD5 or
 * checksum, when sent, must match the body.
 */
import { readVerifiedBody } from '../body-digest.js';
import { versionIdHeader } from '../object-headers.js';
import { objectTarget } from '../object-request.js';
import { OBJECT_TAG_LIMIT, parseTaggingXml } from '../tagging.js';
import type { S3Handler } from '../types.js';

const MAX_BODY_BYTES = 64 * 1024;

export const putObjectTagging: S3Handler = async (req, { store }) => {
  const { bucket, key, versionId } = objectTarget(req);
  const text = await readVerifiedBody(req, { limit: MAX_BODY_BYTES, required: false });
  const tags = parseTaggingXml(text, { maxTags: OBJECT_TAG_LIMIT });
  const version = store.putObjectTagging(bucket.name, key, tags, versionId);
  return { status: 200, headers: versionIdHeader(bucket, version.versionId) };
};
