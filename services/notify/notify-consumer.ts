/**
 * The bucket-notification consumer: for a relay batch of object events, the
 * webhook deliveries it makes. Run by the outbox relay, which owns the store, so the
 * bucket's configuration is read when the event is relayed (moments after the
 * change) and each job carries everything its deliveries need: `strata worker`
 * processes deliver without opening the store.
 *
 * One delivery per event and matching configuration, as S3 sends one message
 * per matching configuration, with s3.configurationId set to its Id. The
 * deliveries of one relay pass to one target travel in one job (payload v2):
 * a job per delivery cost about 50 Redis commands per event (add, fetch, lock,
 * finish, events stream, retention), more than the PUT itself (issue 3,
 * bench:events). A delivery that fails in a batch continues as a job of its
 * own (payload v1, id = its delivery id), retried and kept as failed as before.
 *
 * Each delivery has an id derived from the event id, the configuration Id and
 * the target: the X-Strata-Delivery header, the id of its retry job, and the
 * key of its claim (delivery-claims.ts), which keeps a relay replay, whose
 * batches may be cut differently, from POSTing it twice.
 */
import { createHash } from 'node:crypto';
import type { EventJob, JobPayload } from '../../shared/bus/job-type.js';
import { isS3Error } from '../../shared/errors.js';
import type { S3EventRecord, StrataEvent } from '../../shared/events.js';
import type { NotificationConfiguration, ObjectStore } from '../store/types.js';
import { matchingRules } from './match.js';

export const WEBHOOK_QUEUE = 'webhook';

/** One delivery: an event for one matching configuration. */
export interface WebhookDelivery {
  readonly eventId: number;
  readonly configurationId: string;
  /** The event record, s3.configurationId set: the body is {"Records":[record]}. */
  readonly record: S3EventRecord;
}

/** A single delivery (a retry of one that failed in a batch, or one queued by an earlier version). */
export interface WebhookJobPayload extends JobPayload, WebhookDelivery {
  readonly v: 1;
  /** The rule's destination; the worker resolves it to a URL and secret from its own config. */
  readonly targetArn: string;
  /** Attempts made before this job was added (in its batch); absent: none. */
  readonly priorAttempts?: number;
  /**
   * Why its batch gave it up (a refusal, or the last attempt failed): the job's
   * first run fails with this reason, without a POST, so the delivery is kept as
   * failed and retryable. Absent: the job delivers.
   */
  readonly refusal?: string;
}

/** The deliveries of one relay pass to one target. */
export interface WebhookBatchPayload extends JobPayload {
  readonly v: 2;
  readonly targetArn: string;
  /** In event order. */
  readonly deliveries: readonly WebhookDelivery[];
}

/**
 * Most deliveries in one job: a relay pass of 500 events makes several jobs.
 * Completed jobs are kept (webhook.ts), and a job holds its records: this
 * bounds what each one keeps in Redis (some 60 KB), while a job's own cost
 * (a few script runs) is still shared by many deliveries.
 */
export const MAX_BATCH_DELIVERIES = 50;

const hash16 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The id of a delivery, and of its job when it has one of its own. Job ids may
 * not contain ':' (BullMQ); configuration Ids and ARNs may, so they are hashed.
 */
export function webhookJobId(eventId: number, configurationId: string, targetArn: string): string {
  return `${WEBHOOK_QUEUE}-${eventId}-${hash16(`${configurationId}\n${targetArn}`)}`;
}

/** The job id of a batch: its relay pass (first and last event id), its target, and which chunk of them. */
export function webhookBatchJobId(first: number, last: number, targetArn: string, chunk = 0): string {
  return `${WEBHOOK_QUEUE}-batch-${first}-${last}-${hash16(targetArn)}-${chunk}`;
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

/** The deliveries an event makes, with each one's target ARN. */
export function webhookDeliveriesFor(
  event: StrataEvent,
  config: NotificationConfiguration,
): { targetArn: string; delivery: WebhookDelivery }[] {
  if (config.rules.length === 0) return [];
  return matchingRules(config, event.record)
    .filter((rule) => rule.kind === 'Queue')
    .map((rule) => ({
      targetArn: rule.arn,
      delivery: {
        eventId: event.id,
        configurationId: rule.id,
        record: { ...event.record, s3: { ...event.record.s3, configurationId: rule.id } },
      },
    }));
}

/**
 * The jobs of a relay batch: one per target that any of its events goes to
 * (or a few, MAX_BATCH_DELIVERIES each), holding that target's deliveries in
 * event order; a job's id names its first and last event. Each bucket's
 * configuration is read once per batch rather than once per event (two
 * metadata reads each).
 */
export function webhookJobsForBatch(
  events: readonly StrataEvent[],
  store: ObjectStore,
): EventJob<WebhookBatchPayload>[] {
  const configs = new Map<string, NotificationConfiguration>();
  const byTarget = new Map<string, WebhookDelivery[]>();
  for (const event of events) {
    const bucket = event.record.s3.bucket.name;
    let config = configs.get(bucket);
    if (!config) configs.set(bucket, (config = configurationOf(store, bucket)));
    for (const { targetArn, delivery } of webhookDeliveriesFor(event, config)) {
      const list = byTarget.get(targetArn) ?? [];
      list.push(delivery);
      byTarget.set(targetArn, list);
    }
  }
  const first = events[0]?.id ?? 0;
  const last = events[events.length - 1]?.id ?? 0;
  const jobs: EventJob<WebhookBatchPayload>[] = [];
  for (const [targetArn, deliveries] of byTarget) {
    for (let i = 0; i < deliveries.length; i += MAX_BATCH_DELIVERIES) {
      const chunk = deliveries.slice(i, i + MAX_BATCH_DELIVERIES);
      jobs.push({
        id: webhookBatchJobId(first, last, targetArn, i / MAX_BATCH_DELIVERIES),
        data: { v: 2, targetArn, deliveries: chunk },
      });
    }
  }
  return jobs;
}

/** The delivery body, exactly as S3 sends a notification. */
export function webhookBody(delivery: WebhookDelivery): string {
  return JSON.stringify({ Records: [delivery.record] });
}
