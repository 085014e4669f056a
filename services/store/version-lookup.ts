/**
 * Finding a bucket or an object version with S3's errors: NoSuchBucket;
 * NoSuchKey (with x-amz-delete-marker when the latest is a delete marker);
 * NoSuchVersion for a well-formed unknown id; InvalidArgument for a malformed
 * one; MethodNotAllowed when a version id names a delete marker.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
 */
import { errors } from '../../shared/errors.js';
import type { MetadataStore, StoredVersion } from './metadata/metadata-store.js';
import type { Bucket } from './types.js';
import { isWellFormedVersionId } from './version-id.js';

export function requireBucket(meta: MetadataStore, name: string): Bucket {
  const b = meta.buckets.get(name);
  if (!b) throw errors.noSuchBucket(name);
  return b;
}

export function checkVersionId(versionId: string): void {
  if (!isWellFormedVersionId(versionId)) {
    throw errors.invalidArgument('Invalid version id specified', 'versionId', versionId);
  }
}

/** The version (or latest) of a key that is not a delete marker. */
export function findVersion(
  meta: MetadataStore,
  bucket: string,
  key: string,
  versionId?: string,
): StoredVersion {
  requireBucket(meta, bucket);
  if (versionId === undefined) {
    const v = meta.versions.latest(bucket, key);
    if (!v) throw errors.noSuchKey(key);
    if (v.isDeleteMarker) {
      throw errors.noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId });
    }
    return v;
  }
  checkVersionId(versionId);
  const v = meta.versions.get(bucket, key, versionId);
  if (!v) throw errors.noSuchVersion(key, versionId);
  if (v.isDeleteMarker) {
    const e = errors.methodNotAllowed('GET', 'DeleteMarker');
    Object.assign(e.headers, {
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': v.versionId,
      'last-modified': v.lastModified.toUTCString(),
    });
    throw e;
  }
  return v;
}
