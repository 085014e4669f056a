/**
 * DeleteObjectTagging: DELETE /bucket/key?tagging[&versionId=]
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjectTagging.html
 *
 * Removes the version's tag set: 204, with the version id.
 */
import { versionIdHeader } from '../object-headers.js';
import { objectTarget } from '../object-request.js';
import type { S3Handler } from '../types.js';

export const deleteObjectTagging: S3Handler = async (req, { store }) => {
  const { bucket, key, versionId } = objectTarget(req);
  const version = store.putObjectTagging(bucket.name, key, [], versionId);
  return { status: 204, headers: versionIdHeader(bucket, version.versionId) };
};
