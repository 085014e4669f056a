/**
 * Job type "webhook": delivers bucket notifications (each event × matching
 * configuration) to webhook targets. fromBatch is the notification consumer
 * (services/notify/notify-consumer.ts): one job per relay pass and target,
 * each bucket's configuration read once per pass. process resolves the target
 * from this process's configuration and POSTs (services/notify/webhook-delivery.ts).
 *
 * Two payloads:
 * - v2, a batch (services/notify/webhook-batch.ts): its deliveries are POSTed
 *   once each; one not accepted continues as a v1 job of its own;
 * - v1, one delivery (that continuation, or a job queued by an earlier version).
 *
 * Retries of a v1 job: the schedule comes from STRATA_NOTIFY_WEBHOOK_ATTEMPTS
 * and _BACKOFF_MS of the process that delivers (delivery-policy.ts), which the
 * job bus's per-type options (fixed when the queues are made) cannot express.
 * So a retryable failure moves the job to delayed itself, BullMQ's documented
 * way to delay an active job
 * (https://docs.bullmq.io/patterns/process-step-jobs#delaying); the attempt
 * number is the batch's attempts plus the job's own POSTs. The last failure,
 * or a refusal a retry cannot fix (a 4xx other than 408 / 429, an unknown
 * target), fails the job; failed jobs are kept and retryable. Each failed
 * attempt that is retried is written to the job's log.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { nextStep, retrySchedule } from '../services/notify/delivery-policy.js';
import {
  webhookBody,
  webhookJobsForBatch,
  WEBHOOK_QUEUE,
  type WebhookBatchPayload,
  type WebhookJobPayload,
} from '../services/notify/notify-consumer.js';
import { notifyTargets, unconfiguredTarget } from '../services/notify/targets.js';
import { deliverWebhookBatch, type DeliveryJob } from '../services/notify/webhook-batch.js';
import { deliverWebhook } from '../services/notify/webhook-delivery.js';
import type { StrataJobType, WorkerContext } from './job-context.js';

/** POSTs under way at once for one batch job (the worker runs several jobs at once too). */
const BATCH_CONCURRENCY = 16;

export const webhookJob: StrataJobType<WebhookJobPayload | WebhookBatchPayload> = {
  queue: WEBHOOK_QUEUE,
  payloadVersion: 2,
  concurrency: 16,
  // One BullMQ attempt: retries are scheduled by process() (see above). Fewer
  // completed jobs kept than the default 10 000: a batch holds up to 50 records,
  // and delivery claims, not kept jobs, stop a replay from delivering twice.
  jobOptions: { attempts: 1, removeOnComplete: { age: 24 * 3600, count: 1000 } },
  fromBatch: (events, { store }) => webhookJobsForBatch(events, store),
  process(job, signal, deps) {
    return job.data.v === 2
      ? processBatch(job as Job<WebhookBatchPayload>, signal, deps)
      : processOne(job as Job<WebhookJobPayload>, signal, deps);
  },
};

const targetOf = ({ config }: WorkerContext, arn: string) =>
  notifyTargets(config.notify, config.region).webhookFor({ kind: 'Queue', arn });

function processBatch(job: Job<WebhookBatchPayload>, signal: AbortSignal, deps: WorkerContext) {
  const { notify, redisPrefix } = deps.config;
  return deliverWebhookBatch(job.data, {
    redis: deps.redis,
    redisPrefix,
    jobId: job.id ?? '',
    target: targetOf(deps, job.data.targetArn),
    schedule: retrySchedule(notify),
    timeoutMs: notify.webhookTimeoutMs,
    concurrency: BATCH_CONCURRENCY,
    signal,
    enqueue: (jobs) => enqueueDeliveries(deps, jobs),
  });
}

async function enqueueDeliveries(deps: WorkerContext, jobs: readonly DeliveryJob[]): Promise<void> {
  const added = await deps.queues
    .queue(WEBHOOK_QUEUE)
    .addBulk(
      jobs.map((j) => ({ name: WEBHOOK_QUEUE, data: j.data, opts: { jobId: j.id, delay: j.delayMs } })),
    );
  await Promise.all(jobs.map((j, i) => (j.log === undefined ? undefined : added[i]?.log(j.log))));
}

async function processOne(job: Job<WebhookJobPayload>, signal: AbortSignal, deps: WorkerContext) {
  const { data } = job;
  // Given up by its batch: fail with the batch's reason. A retry (GraphQL retryJob) runs it again and POSTs.
  if (data.refusal !== undefined && job.attemptsStarted <= 1) throw new UnrecoverableError(data.refusal);
  const target = targetOf(deps, data.targetArn);
  if (!target) {
    throw new UnrecoverableError(unconfiguredTarget(data.targetArn));
  }
  const { notify } = deps.config;
  const outcome = await deliverWebhook(
    target,
    { body: webhookBody(data), eventId: String(data.eventId), deliveryId: job.id ?? '' },
    { timeoutMs: notify.webhookTimeoutMs, signal },
  );
  // A job its batch gave up made no attempt on its first run (it failed with the reason).
  const attempt = (data.priorAttempts ?? 0) + job.attemptsStarted - (data.refusal === undefined ? 0 : 1);
  if (outcome.delivered) return { status: outcome.status, attempt };
  const step = nextStep(outcome, attempt, target.id, retrySchedule(notify), signal.aborted);
  if (step.kind === 'fail') throw new UnrecoverableError(step.reason);
  await job.log(step.log);
  await job.moveToDelayed(Date.now() + step.delayMs, job.token);
  throw new DelayedError();
}
