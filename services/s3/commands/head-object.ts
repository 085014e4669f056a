/**
 * HeadObject: HEAD /bucket/key
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 *
 * GetObject's headers and status (conditions, Range, partNumber included)
 * without a body; errors have no body either (the server drops it for HEAD).
 */
import { prepareObjectRead } from '../object-read.js';
import type { S3Handler } from '../types.js';

export const headObject: S3Handler = async (req, ctx) => {
  const read = prepareObjectRead(req, ctx);
  return { status: read.status, headers: read.headers };
};
