/**
 * GetBucketLocation: the bucket's region as a bare LocationConstraint
 * element, empty for us-east-1 (S3's historical "US Standard" answer).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import type { S3Handler } from '../types.js';
import { escapeXml, S3_XMLNS } from '../xml.js';

export const getBucketLocation: S3Handler = async (req) => {
  const region = bucketInfoOf(req).region;
  const value = region === 'us-east-1' ? '' : escapeXml(region);
  return {
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="${S3_XMLNS}">${value}</LocationConstraint>`,
  };
};
