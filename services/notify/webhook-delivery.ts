/**
 * One webhook delivery: POST the event JSON to the target, signed when the
 * target has a secret. The outcome says whether a retry can help:
 * - a 2xx is delivered;
 * - a network error, a timeout, a 5xx, 408 or 429 is worth retrying (the
 *   receiver is down or busy);
 * - any other answer (4xx, or a 3xx: redirects are not followed, a POST
 *   must not turn into a GET) says the receiver refuses this delivery and
 *   will keep refusing it. S3 and MinIO retry everything, but a receiver
 *   that answers 400 forever should not be hammered for hours: the job
 *   fails at once and is kept as failed, to be retried by hand once the
 *   receiver is fixed.
 */
import type { WebhookTarget } from '../../shared/notify-config.js';
import { signWebhookBody } from './webhook-signature.js';

export interface WebhookRequest {
  /** The raw JSON body ({"Records":[…]}); signed exactly as sent. */
  readonly body: string;
  /** X-Strata-Event-Id: the outbox id of the event. */
  readonly eventId: string;
  /** X-Strata-Delivery: the job id, the same on every retry of this delivery. */
  readonly deliveryId: string;
}

export type WebhookOutcome =
  | { readonly delivered: true; readonly status: number }
  | {
      readonly delivered: false;
      readonly retryable: boolean;
      readonly reason: string;
      readonly status?: number;
    };

const RETRYABLE_STATUS = new Set([408, 429]);

export async function deliverWebhook(
  target: WebhookTarget,
  req: WebhookRequest,
  opts: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<WebhookOutcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Strata-Notifications/1',
    'x-strata-event-id': req.eventId,
    'x-strata-delivery': req.deliveryId,
  };
  if (target.secret !== undefined) headers['x-strata-signature'] = signWebhookBody(target.secret, req.body);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(target.endpoint, {
      method: 'POST',
      headers,
      body: req.body,
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    const reason = timeout.aborted
      ? `no answer within ${opts.timeoutMs} ms`
      : opts.signal?.aborted
        ? 'delivery aborted'
        : `request failed: ${causeOf(err)}`;
    return { delivered: false, retryable: true, reason };
  }
  // Only the status matters; release the connection without reading the body.
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { delivered: true, status: res.status };
  const retryable = res.status >= 500 || RETRYABLE_STATUS.has(res.status);
  return { delivered: false, retryable, status: res.status, reason: `receiver answered ${res.status}` };
}

function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
