import { abortMultipartUpload } from '../commands/abort-multipart-upload.js';
import { completeMultipartUpload } from '../commands/complete-multipart-upload.js';
import { createMultipartUpload } from '../commands/create-multipart-upload.js';
import { listMultipartUploads } from '../commands/list-multipart-uploads.js';
import { listParts } from '../commands/list-parts.js';
import { uploadPart } from '../commands/upload-part.js';
import { uploadPartCopy } from '../commands/upload-part-copy.js';
import type { Route } from './route.js';

/**
 * Multipart operations. UploadPartCopy is UploadPart's query plus the
 * x-amz-copy-source header, so the more specific route wins.
 */
export const multipartRoutes: readonly Route[] = [
  {
    op: 'CreateMultipartUpload',
    method: 'POST',
    scope: 'object',
    query: ['uploads'],
    handler: createMultipartUpload,
  },
  {
    op: 'UploadPartCopy',
    method: 'PUT',
    scope: 'object',
    query: ['partNumber', 'uploadId'],
    header: 'x-amz-copy-source',
    handler: uploadPartCopy,
  },
  {
    op: 'UploadPart',
    method: 'PUT',
    scope: 'object',
    query: ['partNumber', 'uploadId'],
    handler: uploadPart,
  },
  {
    op: 'CompleteMultipartUpload',
    method: 'POST',
    scope: 'object',
    query: ['uploadId'],
    handler: completeMultipartUpload,
  },
  {
    op: 'AbortMultipartUpload',
    method: 'DELETE',
    scope: 'object',
    query: ['uploadId'],
    handler: abortMultipartUpload,
  },
  { op: 'ListParts', method: 'GET', scope: 'object', query: ['uploadId'], handler: listParts },
  {
    op: 'ListMultipartUploads',
    method: 'GET',
    scope: 'bucket',
    query: ['uploads'],
    handler: listMultipartUploads,
  },
];
