/**
 * GetBucketNotificationConfiguration: the bucket's notification rules; an
 * empty <NotificationConfiguration/> when it has none (S3 does not 404 here).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
 */
import { bucketInfoOf } from '../bucket-request.js';
import { renderNotificationConfiguration } from '../notification-xml.js';
import type { S3Handler } from '../types.js';

export const getBucketNotificationConfiguration: S3Handler = async (req, { store }) => {
  const config = store.getBucketNotification(bucketInfoOf(req).name);
  return { headers: { 'content-type': 'application/xml' }, body: renderNotificationConfiguration(config) };
};
