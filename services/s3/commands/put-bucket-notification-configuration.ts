/**
 * PutBucketNotificationConfiguration: replaces the bucket's notification
 * rules; an empty <NotificationConfiguration/> removes them all. 200, empty body.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
import { validateNotificationConfiguration } from '../../notify/notification-rules.js';
import { notifyTargets } from '../../notify/targets.js';
import { readVerifiedBody } from '../body-digest.js';
import { bucketInfoOf } from '../bucket-request.js';
import { parseNotificationConfiguration } from '../notification-xml.js';
import { header } from '../put-options.js';
import type { S3Handler } from '../types.js';

const MAX_DOCUMENT_BYTES = 256 * 1024;

export const putBucketNotificationConfiguration: S3Handler = async (req, { store, config }) => {
  const name = bucketInfoOf(req).name;
  const inputs = parseNotificationConfiguration(
    await readVerifiedBody(req, { limit: MAX_DOCUMENT_BYTES, required: false }),
  );
  const skip = header(req.headers, 'x-amz-skip-destination-validation')?.trim().toLowerCase() === 'true';
  const rules = validateNotificationConfiguration(inputs, notifyTargets(config.notify, config.region), {
    skipDestinationValidation: skip,
  });
  store.putBucketNotification(name, rules);
  return {};
};
