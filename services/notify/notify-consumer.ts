/**
 * The bucket-notification consumer: for an object event, the webhook
 * deliveries it makes. Run by the outbox relay, which owns the store, so the
 * bucket's configuration is read when the event is relayed (moments after the
 * change) and each job carries everything its delivery needs: `strata worker`
 * processes deliver without opening the store.
 *
 * One delivery per matching configuration, as S3 sends one message per
 * matching configuration, with s3.configurationId set to its Id. The job id is
 * derived from the event id, the configuration Id and the target, so a relay
 * that replays an event adds nothing.
 */
import { createHash } from 'node:crypto';
import type { EventJob, JobPayload } from '../../shared/bus/job-type.js';
import { isS3Error } from '../../shared/errors.js';
import type { S3EventRecord, StrataEvent } from '../../shared/events.js';
import type { NotificationConfiguration, ObjectStore } from '../store/types.js';
import { matchingRules } from './match.js';

export const WEBHOOK_QUEUE = 'webhook';

export interface WebhookJobPayload extends JobPayload {
  readonly v: 1;
  readonly eventId: number;
  readonly configurationId: string;
  /** The rule's destination; the worker resolves it to a URL and secret from its own config. */
  readonly targetArn: string;
  /** The event record, s3.configurationId set: the body is {"Records":[record]}. */
  readonly record: S3EventRecord;
}

/** Job ids may not contain ':' (BullMQ); configuration Ids and ARNs may, so they are hashed. */
export function webhookJobId(eventId: number, configurationId: string, targetArn: string): string {
  const h = createHash('sha256').update(`${configurationId}\n${targetArn}`).digest('hex').slice(0, 16);
  return `${WEBHOOK_QUEUE}-${eventId}-${h}`;
}

function configurationOf(store: ObjectStore, bucket: string): NotificationConfiguration {
  try {
    return store.getBucketNotification(bucket);
  } catch (err) {
    // The bucket is gone by the time its event is relayed: so is its configuration.
    if (isS3Error(err) && err.code === 'NoSuchBucket') return { rules: [] };
    throw err;
  }
}

export function webhookJobsFor(
  event: StrataEvent,
  store: ObjectStore,
  config = configurationOf(store, event.record.s3.bucket.name),
): EventJob<WebhookJobPayload>[] {
  if (config.rules.length === 0) return [];
  return matchingRules(config, event.record)
    .filter((rule) => rule.kind === 'Queue')
    .map((rule) => ({
      id: webhookJobId(event.id, rule.id, rule.arn),
      data: {
        v: 1,
        eventId: event.id,
        configurationId: rule.id,
        targetArn: rule.arn,
        record: { ...event.record, s3: { ...event.record.s3, configurationId: rule.id } },
      },
    }));
}

/**
 * The deliveries of a relay batch, in event order: the same jobs as
 * webhookJobsFor per event, reading each bucket's configuration once per
 * batch rather than once per event (two metadata reads each).
 */
export function webhookJobsForBatch(
  events: readonly StrataEvent[],
  store: ObjectStore,
): EventJob<WebhookJobPayload>[] {
  const configs = new Map<string, NotificationConfiguration>();
  return events.flatMap((event) => {
    const bucket = event.record.s3.bucket.name;
    let config = configs.get(bucket);
    if (!config) configs.set(bucket, (config = configurationOf(store, bucket)));
    return webhookJobsFor(event, store, config);
  });
}

/** The delivery body, exactly as S3 sends a notification. */
export function webhookBody(payload: WebhookJobPayload): string {
  return JSON.stringify({ Records: [payload.record] });
}
