/**
 * What follows a webhook attempt that was not accepted, the same for an
 * attempt made in a batch job and one made by a delivery's own job:
 * - a refusal a retry cannot fix (webhook-delivery.ts) fails the delivery at once;
 * - the last of STRATA_NOTIFY_WEBHOOK_ATTEMPTS fails it;
 * - anything else is tried again after _BACKOFF_MS × 2^(attempt−1), or at once
 *   when shutdown cut the attempt short (not the receiver's fault).
 * Failed deliveries are kept as failed jobs, retryable through GraphQL.
 */
import type { NotifyConfig } from '../../shared/notify-config.js';
import type { WebhookOutcome } from './webhook-delivery.js';

export interface RetrySchedule {
  /** Attempts in all (STRATA_NOTIFY_WEBHOOK_ATTEMPTS). */
  readonly attempts: number;
  /** Delay after the first failed attempt, doubled after each next one (STRATA_NOTIFY_WEBHOOK_BACKOFF_MS). */
  readonly backoffMs: number;
}

export function retrySchedule(notify: NotifyConfig): RetrySchedule {
  return { attempts: notify.webhookAttempts, backoffMs: notify.webhookBackoffMs };
}

export type NextStep =
  | { readonly kind: 'fail'; readonly reason: string }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly log: string };

export function nextStep(
  outcome: Extract<WebhookOutcome, { delivered: false }>,
  attempt: number,
  targetId: string,
  schedule: RetrySchedule,
  aborted: boolean,
): NextStep {
  const what = `${targetId}: ${outcome.reason}`;
  if (!outcome.retryable) return { kind: 'fail', reason: `${what}; a retry cannot help, not retried` };
  if (!aborted && attempt >= schedule.attempts)
    return { kind: 'fail', reason: `${what}; gave up after ${attempt} attempts` };
  const delayMs = aborted ? 0 : schedule.backoffMs * 2 ** (attempt - 1);
  return { kind: 'retry', delayMs, log: `attempt ${attempt} failed: ${what}` };
}
