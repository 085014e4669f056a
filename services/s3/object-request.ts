/**
 * Request pieces the object operations share: the checked bucket, the key and
 * the versionId query parameter.
 */
import { errors } from '../../shared/errors.js';
import type { Bucket } from '../store/types.js';
import { bucketInfoOf } from './bucket-request.js';
import { objectKey } from './multipart-request.js';
import type { S3Request } from './types.js';

export interface ObjectTarget {
  readonly bucket: Bucket;
  readonly key: string;
  readonly versionId: string | undefined;
}

/** ?versionId: absent, or a non-empty id ("null" names the null version). */
export function versionIdOf(query: URLSearchParams): string | undefined {
  const v = query.get('versionId');
  if (v === null) return undefined;
  if (v === '') throw errors.invalidArgument('Version id cannot be the empty string', 'versionId', '');
  return v;
}

export function objectTarget(req: S3Request): ObjectTarget {
  return { bucket: bucketInfoOf(req), key: objectKey(req), versionId: versionIdOf(req.query) };
}
