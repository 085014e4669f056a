/**
 * GetObject: GET /bucket/key
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 *
 * Version, conditions, part / range and headers are worked out by
 * prepareObjectRead (shared with HeadObject); the body streams from the
 * store and stops when the client goes away (req.signal).
 */
import { prepareObjectRead } from '../object-read.js';
import type { S3Handler } from '../types.js';

export const getObject: S3Handler = async (req, ctx) => {
  const read = prepareObjectRead(req, ctx);
  const body = ctx.store.openObject(read.version, read.range, req.signal);
  return { status: read.status, headers: read.headers, body };
};
