/**
 * DeleteObject: DELETE /bucket/key[?versionId=]
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
 *
 * Always 204, also for a key that does not exist. Without a versionId a
 * versioned bucket gets a delete marker (x-amz-delete-marker: true and its
 * id); with one, that version goes for good. Buckets that never had
 * versioning configured get neither header, as on S3.
 */
import { objectTarget } from '../object-request.js';
import type { S3Handler } from '../types.js';

export const deleteObject: S3Handler = async (req, { store }) => {
  const { bucket, key, versionId } = objectTarget(req);
  const result = store.deleteObject(bucket.name, key, { versionId });
  const versioned = bucket.versioning !== undefined;
  return {
    status: 204,
    headers: versioned
      ? {
          'x-amz-delete-marker': result.deleteMarker ? 'true' : undefined,
          'x-amz-version-id': result.versionId,
        }
      : {},
  };
};
