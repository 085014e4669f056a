/**
 * Job type "webhook": delivers one bucket notification (one event × one
 * matching configuration) to a webhook target. fromBatch is the notification
 * consumer (services/notify/notify-consumer.ts: one job per event and matching
 * configuration, each bucket's configuration read once per relay batch); process resolves the target
 * from this process's configuration and POSTs (services/notify/webhook-delivery.ts).
 *
 * Retries: the schedule comes from STRATA_NOTIFY_WEBHOOK_ATTEMPTS and
 * _BACKOFF_MS of the process that delivers, which the job bus's per-type
 * options (fixed when the queues are made) cannot express. So a retryable
 * failure moves the job to delayed itself, BullMQ's documented way to delay
 * an active job (https://docs.bullmq.io/patterns/process-step-jobs#delaying),
 * after backoff × 2^(attempt−1), and job.attemptsStarted counts the attempts.
 * The last failure, or a refusal a retry cannot fix (a 4xx other than 408 /
 * 429, an unknown target), fails the job; failed jobs are kept and retryable.
 * Each failed attempt is written to the job's log.
 */
import { DelayedError, UnrecoverableError } from 'bullmq';
import {
  webhookBody,
  webhookJobsForBatch,
  WEBHOOK_QUEUE,
  type WebhookJobPayload,
} from '../services/notify/notify-consumer.js';
import { notifyTargets } from '../services/notify/targets.js';
import { deliverWebhook } from '../services/notify/webhook-delivery.js';
import type { StrataJobType } from './job-context.js';

export const webhookJob: StrataJobType<WebhookJobPayload> = {
  queue: WEBHOOK_QUEUE,
  payloadVersion: 1,
  concurrency: 16,
  // One BullMQ attempt: retries are scheduled by process() (see above).
  jobOptions: { attempts: 1 },
  fromBatch: (events, { store }) => webhookJobsForBatch(events, store),
  async process(job, signal, { config }) {
    const { notify } = config;
    const target = notifyTargets(notify, config.region).webhookFor({
      kind: 'Queue',
      arn: job.data.targetArn,
    });
    if (!target) {
      throw new UnrecoverableError(
        `notification target ${job.data.targetArn} is not configured in this process (STRATA_NOTIFY_WEBHOOK_ENDPOINT_<id>)`,
      );
    }
    const outcome = await deliverWebhook(
      target,
      { body: webhookBody(job.data), eventId: String(job.data.eventId), deliveryId: job.id ?? '' },
      { timeoutMs: notify.webhookTimeoutMs, signal },
    );
    const attempt = job.attemptsStarted;
    // No updateProgress(100): a completed job already says so, and the call cost a
    // script run and a stream entry per delivery (issue 3, bench:events).
    if (outcome.delivered) return { status: outcome.status, attempt };
    const what = `${target.id}: ${outcome.reason}`;
    if (!outcome.retryable) throw new UnrecoverableError(`${what}; a retry cannot help, not retried`);
    if (!signal.aborted && attempt >= notify.webhookAttempts) {
      throw new UnrecoverableError(`${what}; gave up after ${attempt} attempts`);
    }
    await job.log(`attempt ${attempt} failed: ${what}`);
    // A delivery cut short by shutdown is not the receiver's fault: run it again at once elsewhere.
    const delay = signal.aborted ? 0 : notify.webhookBackoffMs * 2 ** (attempt - 1);
    await job.moveToDelayed(Date.now() + delay, job.token);
    throw new DelayedError();
  },
};
