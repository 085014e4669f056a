import { createBucket } from '../commands/create-bucket.js';
import { deleteBucketCors } from '../commands/delete-bucket-cors.js';
import { deleteBucketTagging } from '../commands/delete-bucket-tagging.js';
import { deleteBucket } from '../commands/delete-bucket.js';
import { getBucketCors } from '../commands/get-bucket-cors.js';
import { getBucketLocation } from '../commands/get-bucket-location.js';
import { getBucketNotificationConfiguration } from '../commands/get-bucket-notification-configuration.js';
import { getBucketTagging } from '../commands/get-bucket-tagging.js';
import { getBucketVersioning } from '../commands/get-bucket-versioning.js';
import { headBucket } from '../commands/head-bucket.js';
import { listBuckets } from '../commands/list-buckets.js';
import { listObjectVersions } from '../commands/list-object-versions.js';
import { listObjectsV2 } from '../commands/list-objects-v2.js';
import { listObjects } from '../commands/list-objects.js';
import { putBucketCors } from '../commands/put-bucket-cors.js';
import { putBucketNotificationConfiguration } from '../commands/put-bucket-notification-configuration.js';
import { putBucketTagging } from '../commands/put-bucket-tagging.js';
import { putBucketVersioning } from '../commands/put-bucket-versioning.js';
import type { Route } from './route.js';

/** Bucket operations, their sub-resources, and listing. */
export const bucketRoutes: readonly Route[] = [
  { op: 'ListBuckets', method: 'GET', scope: 'service', handler: listBuckets },
  // The server skips the bucket access check for this op name: the bucket does not exist yet.
  { op: 'CreateBucket', method: 'PUT', scope: 'bucket', handler: createBucket },
  { op: 'HeadBucket', method: 'HEAD', scope: 'bucket', handler: headBucket },
  { op: 'DeleteBucket', method: 'DELETE', scope: 'bucket', handler: deleteBucket },
  {
    op: 'GetBucketLocation',
    method: 'GET',
    scope: 'bucket',
    query: ['location'],
    handler: getBucketLocation,
  },
  {
    op: 'GetBucketVersioning',
    method: 'GET',
    scope: 'bucket',
    query: ['versioning'],
    handler: getBucketVersioning,
  },
  {
    op: 'PutBucketVersioning',
    method: 'PUT',
    scope: 'bucket',
    query: ['versioning'],
    handler: putBucketVersioning,
  },
  { op: 'GetBucketTagging', method: 'GET', scope: 'bucket', query: ['tagging'], handler: getBucketTagging },
  { op: 'PutBucketTagging', method: 'PUT', scope: 'bucket', query: ['tagging'], handler: putBucketTagging },
  {
    op: 'DeleteBucketTagging',
    method: 'DELETE',
    scope: 'bucket',
    query: ['tagging'],
    handler: deleteBucketTagging,
  },
  { op: 'GetBucketCors', method: 'GET', scope: 'bucket', query: ['cors'], handler: getBucketCors },
  { op: 'PutBucketCors', method: 'PUT', scope: 'bucket', query: ['cors'], handler: putBucketCors },
  { op: 'DeleteBucketCors', method: 'DELETE', scope: 'bucket', query: ['cors'], handler: deleteBucketCors },
  {
    op: 'GetBucketNotificationConfiguration',
    method: 'GET',
    scope: 'bucket',
    query: ['notification'],
    handler: getBucketNotificationConfiguration,
  },
  {
    op: 'PutBucketNotificationConfiguration',
    method: 'PUT',
    scope: 'bucket',
    query: ['notification'],
    handler: putBucketNotificationConfiguration,
  },
  { op: 'ListObjects', method: 'GET', scope: 'bucket', handler: listObjects },
  { op: 'ListObjectsV2', method: 'GET', scope: 'bucket', query: ['list-type=2'], handler: listObjectsV2 },
  {
    op: 'ListObjectVersions',
    method: 'GET',
    scope: 'bucket',
    query: ['versions'],
    handler: listObjectVersions,
  },
];
