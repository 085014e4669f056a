/**
 * GetObjectTagging: GET /bucket/key?tagging[&versionId=]
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectTagging.html
 */
import { versionIdHeader } from '../object-headers.js';
import { headLiveVersion } from '../object-read.js';
import { objectTarget } from '../object-request.js';
import { renderTagging } from '../tagging.js';
import type { S3Handler } from '../types.js';

export const getObjectTagging: S3Handler = async (req, { store }) => {
  const { bucket, key, versionId } = objectTarget(req);
  const version = headLiveVersion(store, bucket.name, key, versionId, req.method);
  return {
    status: 200,
    headers: { 'content-type': 'application/xml', ...versionIdHeader(bucket, version.versionId) },
    body: renderTagging(version.tags),
  };
};
