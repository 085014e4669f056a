import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRoute, type RouteScope } from './index.js';

describe('multipart routes', () => {
  const cases: [string, RouteScope, string, Record<string, string>, string][] = [
    ['POST', 'object', 'uploads', {}, 'CreateMultipartUpload'],
    ['PUT', 'object', 'partNumber=1&uploadId=u', {}, 'UploadPart'],
    ['PUT', 'object', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': 'b/k' }, 'UploadPartCopy'],
    ['POST', 'object', 'uploadId=u', {}, 'CompleteMultipartUpload'],
    ['DELETE', 'object', 'uploadId=u', {}, 'AbortMultipartUpload'],
    ['GET', 'object', 'uploadId=u', {}, 'ListParts'],
    ['GET', 'object', 'uploadId=u&max-parts=2&part-number-marker=1', {}, 'ListParts'],
    ['GET', 'bucket', 'uploads', {}, 'ListMultipartUploads'],
    ['GET', 'bucket', 'uploads&prefix=a&delimiter=/', {}, 'ListMultipartUploads'],
  ];
  for (const [method, scope, query, headers, op] of cases) {
    it(`${method} ${scope} ?${query} ${Object.keys(headers).join(',')} → ${op}`, () => {
      const route = matchRoute({ method, scope, query: new URLSearchParams(query), headers });
      assert.equal(route?.op, op);
    });
  }
});
