/**
 * GetBucketVersioning: Status Enabled or Suspended; a bucket that was never
 * versioned answers an empty VersioningConfiguration.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';
import { renderXml } from '../xml.js';

export const getBucketVersioning: S3Handler = async (req) => {
  const status = bucketInfoOf(req).versioning;
  return {
    headers: { 'content-type': 'application/xml' },
    body: renderXml('VersioningConfiguration', { Status: status }),
  };
};
