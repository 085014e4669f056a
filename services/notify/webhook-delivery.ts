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
import http from 'node:http';
import https from 'node:https';
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
  const deadline: Deadline = { at: Date.now() + opts.timeoutMs, passed: false };
  let status: number;
  try {
    status = await post(endpointUrl(target.endpoint), headers, req.body, deadline, opts.signal);
  } catch (err) {
    const reason = deadline.passed
      ? `no answer within ${opts.timeoutMs} ms`
      : opts.signal?.aborted
        ? 'delivery aborted'
        : `request failed: ${causeOf(err)}`;
    return { delivered: false, retryable: true, reason };
  }
  if (status >= 200 && status < 300) return { delivered: true, status };
  const retryable = status >= 500 || RETRYABLE_STATUS.has(status);
  return { delivered: false, retryable, status, reason: `receiver answered ${status}` };
}

/**
 * Connections to receivers are kept open between deliveries: a delivery per
 * event made a TLS or TCP handshake per event with fetch (whose unread,
 * cancelled body closed the connection), and fetch itself cost several
 * times what node:http does per request (issue 3, bench:events).
 */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** When a delivery's answer is due, and whether that time passed (the request was then destroyed). */
interface Deadline {
  readonly at: number;
  passed: boolean;
}

/** Parsed target URLs: a delivery per event made a URL parse per event. */
const urls = new Map<string, URL>();

function endpointUrl(endpoint: string): URL {
  let url = urls.get(endpoint);
  if (!url) urls.set(endpoint, (url = new URL(endpoint)));
  return url;
}

/**
 * POSTs `body` and resolves with the status; redirects are not followed. A
 * kept-open connection the receiver closed meanwhile fails at once: that one
 * is retried on a new connection, as the Node docs advise
 * (https://nodejs.org/api/http.html#requestreusedsocket). The deadline is a
 * plain timer rather than AbortSignal.timeout joined to the worker's signal
 * with AbortSignal.any: making those two signals for every delivery took
 * about 3% of the job thread's time (issue 3, bench:events profile).
 */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  deadline: Deadline,
  signal: AbortSignal | undefined,
  retried = false,
): Promise<number> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
        signal,
      },
      (res) => {
        clearTimeout(timer);
        // Only the status matters; the body is read and dropped so the connection can be reused.
        res.resume();
        res.on('error', () => undefined);
        resolve(res.statusCode ?? 0);
      },
    );
    const timer = setTimeout(
      () => {
        deadline.passed = true;
        req.destroy(new Error('deadline passed'));
      },
      Math.max(0, deadline.at - Date.now()),
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!retried && req.reusedSocket && err.code === 'ECONNRESET' && !signal?.aborted && !deadline.passed) {
        resolve(post(url, headers, body, deadline, signal, true));
      } else reject(err);
    });
    req.end(body);
  });
}

function causeOf(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return e.code ?? e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
