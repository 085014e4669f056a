/**
 * Renders an error as S3's XML error document:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses
 * Anything that is not an S3Error becomes InternalError; its message and stack
 * stay in the log and never reach the client.
 */
import { S3Error } from '../../shared/errors.js';
import type { S3Response } from './types.js';
import { renderXml } from './xml.js';

export function toS3Error(e: unknown): S3Error {
  return e instanceof S3Error ? e : new S3Error('InternalError', undefined, { cause: e });
}

export function errorResponse(
  err: S3Error,
  resource: string,
  requestId: string,
  isHead: boolean,
): S3Response {
  const details: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(err.details)) if (v !== undefined) details[k] = v;
  const body =
    err.status === 304 || isHead
      ? undefined
      : renderXml(
          'Error',
          { Code: err.code, Message: err.message, ...details, Resource: resource, RequestId: requestId },
          { xmlns: false },
        );
  return {
    status: err.status,
    headers: { ...err.headers, ...(body === undefined ? {} : { 'content-type': 'application/xml' }) },
    body,
  };
}
