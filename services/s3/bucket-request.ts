/**
 * The checked bucket of a bucket-scoped request. The server resolves it
 * (services/s3/access.ts) before any bucket route runs, except CreateBucket.
 */
import { errors } from '../../shared/errors.js';
import type { Bucket } from '../store/types.js';
import type { S3Request } from './types.js';

export function bucketInfoOf(req: S3Request): Bucket {
  if (req.bucketInfo === undefined)
    throw errors.internal(new Error('bucket route reached without a checked bucket'));
  return req.bucketInfo;
}
