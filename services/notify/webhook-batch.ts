/**
 * Delivers the deliveries of one batch job (one relay pass, one target):
 * claims them (delivery-claims.ts), POSTs the claimed ones a few at a time,
 * and hands each one that was not accepted to a job of its own, which carries
 * on with the same schedule (delivery-policy.ts) and the same delivery id: a
 * retry that is due gets a delayed job, one that failed for good a job that
 * fails at once with the reason, kept as failed and retryable like any other.
 */
import type { Redis } from 'ioredis';
import type { WebhookTarget } from '../../shared/notify-config.js';
import { claimDeliveries, finishDeliveries } from './delivery-claims.js';
import { nextStep, type RetrySchedule } from './delivery-policy.js';
import {
  webhookBody,
  webhookJobId,
  type WebhookBatchPayload,
  type WebhookDelivery,
  type WebhookJobPayload,
} from './notify-consumer.js';
import { unconfiguredTarget } from './targets.js';
import { deliverWebhook } from './webhook-delivery.js';

/** A delivery that continues as a job of its own. */
export interface DeliveryJob {
  readonly id: string;
  readonly data: WebhookJobPayload;
  readonly delayMs: number;
  /** A line for the job's log (the failed attempt), if any. */
  readonly log?: string;
}

export interface WebhookBatchOptions {
  readonly redis: Redis;
  readonly redisPrefix: string;
  /** The batch job's id: the owner of its claims. */
  readonly jobId: string;
  /** undefined when this process has no such target configured. */
  readonly target: WebhookTarget | undefined;
  readonly schedule: RetrySchedule;
  readonly timeoutMs: number;
  /** POSTs under way at once, per batch. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
  /** Adds the jobs of deliveries that were not accepted (a no-op for ids that exist). */
  readonly enqueue: (jobs: readonly DeliveryJob[]) => Promise<void>;
}

export interface WebhookBatchResult {
  readonly delivered: number;
  /** Deliveries another job had claimed or finished. */
  readonly skipped: number;
  /** Deliveries handed to jobs of their own (retried later, or failed). */
  readonly handedOn: number;
}

export async function deliverWebhookBatch(
  batch: WebhookBatchPayload,
  opts: WebhookBatchOptions,
): Promise<WebhookBatchResult> {
  const { redis, redisPrefix, target, signal } = opts;
  const all = batch.deliveries.map((d) => ({
    d,
    id: webhookJobId(d.eventId, d.configurationId, batch.targetArn),
  }));
  const mine = await claimDeliveries(
    redis,
    redisPrefix,
    opts.jobId,
    all.map((x) => x.id),
  );
  const todo = all.filter((x) => mine.has(x.id));
  const delivered: string[] = [];
  const handedOn: DeliveryJob[] = [];
  const single = (d: WebhookDelivery, extra: Partial<WebhookJobPayload>): WebhookJobPayload => ({
    v: 1,
    ...d,
    targetArn: batch.targetArn,
    ...extra,
  });
  await eachAtMost(opts.concurrency, todo, async ({ d, id }) => {
    if (!target) {
      const refusal = unconfiguredTarget(batch.targetArn);
      handedOn.push({ id, data: single(d, { refusal }), delayMs: 0 });
      return;
    }
    // Shutdown: what has not started is handed on untried, to run at once elsewhere.
    if (signal.aborted) return void handedOn.push({ id, data: single(d, {}), delayMs: 0 });
    const outcome = await deliverWebhook(
      target,
      { body: webhookBody(d), eventId: String(d.eventId), deliveryId: id },
      { timeoutMs: opts.timeoutMs, signal },
    );
    if (outcome.delivered) return void delivered.push(id);
    const step = nextStep(outcome, 1, target.id, opts.schedule, signal.aborted);
    if (step.kind === 'fail')
      handedOn.push({ id, data: single(d, { priorAttempts: 1, refusal: step.reason }), delayMs: 0 });
    else handedOn.push({ id, data: single(d, { priorAttempts: 1 }), delayMs: step.delayMs, log: step.log });
  });
  // Accepted deliveries are marked first: if adding the others fails, a run of
  // this job again (GraphQL retryJob) POSTs only what was not accepted.
  await finishDeliveries(redis, redisPrefix, delivered);
  if (handedOn.length > 0) {
    await opts.enqueue(handedOn);
    await finishDeliveries(
      redis,
      redisPrefix,
      handedOn.map((j) => j.id),
    );
  }
  return { delivered: delivered.length, skipped: all.length - todo.length, handedOn: handedOn.length };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachAtMost<T>(
  limit: number,
  items: readonly T[],
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
