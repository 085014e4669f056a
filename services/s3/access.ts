/**
 * Who may use a bucket. Until bucket policies and ACL grants exist, a bucket
 * is usable by its owner only; anyone else gets AccessDenied, and a missing
 * bucket is NoSuchBucket (checked first, as S3 does for its own account's
 * requests).
 */
import { errors } from '../../shared/errors.js';
import type { Bucket, ObjectStore, User } from '../store/types.js';

export function requireBucketAccess(store: ObjectStore, name: string, user: User): Bucket {
  const bucket = store.getBucket(name);
  if (!bucket) throw errors.noSuchBucket(name);
  if (bucket.ownerId !== user.id) throw errors.accessDenied();
  return bucket;
}
