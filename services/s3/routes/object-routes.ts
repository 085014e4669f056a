import { copyObject } from '../commands/copy-object.js';
import { deleteObjectTagging } from '../commands/delete-object-tagging.js';
import { deleteObject } from '../commands/delete-object.js';
import { deleteObjects } from '../commands/delete-objects.js';
import { getObjectAttributes } from '../commands/get-object-attributes.js';
import { getObjectTagging } from '../commands/get-object-tagging.js';
import { getObject } from '../commands/get-object.js';
import { headObject } from '../commands/head-object.js';
import { putObjectTagging } from '../commands/put-object-tagging.js';
import { putObject } from '../commands/put-object.js';
import { selectObjectContent } from '../commands/select-object-content.js';
import type { Route } from './route.js';

/** Object operations (and DeleteObjects, which names its keys in the body). */
export const objectRoutes: readonly Route[] = [
  { op: 'PutObject', method: 'PUT', scope: 'object', handler: putObject },
  { op: 'CopyObject', method: 'PUT', scope: 'object', header: 'x-amz-copy-source', handler: copyObject },
  { op: 'GetObject', method: 'GET', scope: 'object', handler: getObject },
  { op: 'HeadObject', method: 'HEAD', scope: 'object', handler: headObject },
  { op: 'DeleteObject', method: 'DELETE', scope: 'object', handler: deleteObject },
  { op: 'DeleteObjects', method: 'POST', scope: 'bucket', query: ['delete'], handler: deleteObjects },
  { op: 'GetObjectTagging', method: 'GET', scope: 'object', query: ['tagging'], handler: getObjectTagging },
  { op: 'PutObjectTagging', method: 'PUT', scope: 'object', query: ['tagging'], handler: putObjectTagging },
  {
    op: 'DeleteObjectTagging',
    method: 'DELETE',
    scope: 'object',
    query: ['tagging'],
    handler: deleteObjectTagging,
  },
  {
    op: 'GetObjectAttributes',
    method: 'GET',
    scope: 'object',
    query: ['attributes'],
    handler: getObjectAttributes,
  },
  {
    op: 'SelectObjectContent',
    method: 'POST',
    scope: 'object',
    query: ['select', 'select-type=2'],
    handler: selectObjectContent,
  },
];
