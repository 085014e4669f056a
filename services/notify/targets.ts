/**
 * Notification targets: the destinations declared in configuration (see
 * shared/notify-config.ts), named by an ARN in a notification rule.
 * Webhooks are queue-like destinations, so they are named in a
 * QueueConfiguration: arn:strata:sqs::<id>:webhook (the region part may also
 * be the server's region, as MinIO allows).
 */
import type { NotifyConfig, WebhookTarget } from '../../shared/notify-config.js';
import type { NotificationRule } from '../store/types.js';

const WEBHOOK_ARN = /^arn:strata:sqs:([a-z0-9-]*):([A-Za-z0-9_-]{1,64}):webhook$/;

export interface NotifyTargets {
  /** The webhook a rule delivers to, or undefined when it names no configured target. */
  webhookFor(rule: Pick<NotificationRule, 'kind' | 'arn'>): WebhookTarget | undefined;
  /** Why `rule` has no target (for S3's "Unable to validate" error), or undefined when it has one. */
  whyUnusable(rule: Pick<NotificationRule, 'kind' | 'arn'>): string | undefined;
}

const cache = new WeakMap<NotifyConfig, Map<string, NotifyTargets>>();

/** The targets of a loaded configuration (built once per configuration and region). */
export function notifyTargets(notify: NotifyConfig, region: string): NotifyTargets {
  let byRegion = cache.get(notify);
  if (!byRegion) cache.set(notify, (byRegion = new Map()));
  let targets = byRegion.get(region);
  if (!targets) byRegion.set(region, (targets = buildTargets(notify, region)));
  return targets;
}

function buildTargets(notify: NotifyConfig, region: string): NotifyTargets {
  const byId = new Map(notify.webhooks.map((w) => [w.id, w]));
  const lookup = (arn: string): WebhookTarget | undefined => {
    const m = WEBHOOK_ARN.exec(arn);
    if (!m || (m[1] !== '' && m[1] !== region)) return undefined;
    return byId.get(m[2] as string);
  };
  return {
    webhookFor: (rule) => (rule.kind === 'Queue' ? lookup(rule.arn) : undefined),
    whyUnusable(rule) {
      if (rule.kind !== 'Queue') {
        return 'Strata delivers notifications to webhook targets, named in a QueueConfiguration';
      }
      if (lookup(rule.arn) === undefined) {
        return 'No notification target with this ARN is configured (arn:strata:sqs::<id>:webhook, declared by STRATA_NOTIFY_WEBHOOK_ENDPOINT_<id>)';
      }
      return undefined;
    },
  };
}

/** Why a delivery to `arn` cannot be made by this process. */
export function unconfiguredTarget(arn: string): string {
  return `notification target ${arn} is not configured in this process (STRATA_NOTIFY_WEBHOOK_ENDPOINT_<id>)`;
}
