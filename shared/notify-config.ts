/**
 * Bucket-notification targets and delivery settings, read by loadConfig
 * (config.ts) from the environment it is given, like MinIO's
 * MINIO_NOTIFY_WEBHOOK_ENDPOINT_<ID>:
 *
 *   STRATA_NOTIFY_WEBHOOK_ENDPOINT_<ID>  http(s) URL the event JSON is POSTed to
 *   STRATA_NOTIFY_WEBHOOK_SECRET_<ID>    HMAC-SHA256 key of X-Strata-Signature (optional)
 *   STRATA_NOTIFY_WEBHOOK_ATTEMPTS       deliveries tried before a job is kept as failed
 *   STRATA_NOTIFY_WEBHOOK_BACKOFF_MS     first retry delay; doubles on every retry
 *   STRATA_NOTIFY_WEBHOOK_TIMEOUT_MS     how long one POST may take
 *
 * A target is named in a notification configuration by its ARN,
 * arn:strata:sqs::<ID>:webhook (a QueueConfiguration, as MinIO does).
 */
// config.ts imports this module too; ConfigError is only used once both are loaded.
import { ConfigError } from './config.js';
import { wholeNumber } from './env-values.js';

export interface WebhookTarget {
  /** The <ID> of the variable names, as written there. */
  readonly id: string;
  /** arn:strata:sqs::<id>:webhook */
  readonly arn: string;
  readonly endpoint: string;
  /** HMAC key; undefined means deliveries go out unsigned. */
  readonly secret: string | undefined;
}

export interface NotifyConfig {
  readonly webhooks: readonly WebhookTarget[];
  readonly webhookAttempts: number;
  readonly webhookBackoffMs: number;
  readonly webhookTimeoutMs: number;
}

const ENDPOINT = 'STRATA_NOTIFY_WEBHOOK_ENDPOINT_';
const SECRET = 'STRATA_NOTIFY_WEBHOOK_SECRET_';
const TARGET_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function webhookArn(id: string): string {
  return `arn:strata:sqs::${id}:webhook`;
}

function endpointUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  return url.toString();
}

function webhookTargets(env: NodeJS.ProcessEnv): WebhookTarget[] {
  const targets: WebhookTarget[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENDPOINT) || value === undefined || value === '') continue;
    const id = name.slice(ENDPOINT.length);
    if (!TARGET_ID.test(id)) {
      throw new ConfigError(
        `${name}: the target id "${id}" must be 1-64 letters, digits, dashes or underscores`,
      );
    }
    const secret = env[SECRET + id];
    targets.push({
      id,
      arn: webhookArn(id),
      endpoint: endpointUrl(name, value),
      secret: secret === undefined || secret === '' ? undefined : secret,
    });
  }
  // A secret without its endpoint is a typo that would silently leave a target unsigned.
  for (const name of Object.keys(env)) {
    if (name.startsWith(SECRET) && !targets.some((t) => t.id === name.slice(SECRET.length))) {
      throw new ConfigError(`${name} is set but ${ENDPOINT}${name.slice(SECRET.length)} is not`);
    }
  }
  return targets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function loadNotifyConfig(env: NodeJS.ProcessEnv): NotifyConfig {
  return Object.freeze({
    webhooks: Object.freeze(webhookTargets(env).map((t) => Object.freeze(t))),
    webhookAttempts: wholeNumber(env, 'STRATA_NOTIFY_WEBHOOK_ATTEMPTS', 10, 1, 100),
    webhookBackoffMs: wholeNumber(env, 'STRATA_NOTIFY_WEBHOOK_BACKOFF_MS', 2000, 1, 3_600_000),
    webhookTimeoutMs: wholeNumber(env, 'STRATA_NOTIFY_WEBHOOK_TIMEOUT_MS', 10_000, 100, 600_000),
  });
}
