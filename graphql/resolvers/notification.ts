/**
 * The bucket notification configuration as the schema shows it (a prefix and
 * suffix per rule instead of S3's FilterRule list), and the mutation that
 * replaces it: validated by the same code as PutBucketNotificationConfiguration
 * (event names, overlaps, configured targets), stored through the store.
 */
import { validateNotificationConfiguration } from '../../services/notify/notification-rules.js';
import { notifyTargets } from '../../services/notify/targets.js';
import { requireBucketAccess } from '../../services/s3/access.js';
import type { NotificationConfiguration, NotificationRule } from '../../services/store/types.js';
import type { GraphqlContext } from '../context.js';

export interface NotificationRuleInput {
  readonly id?: string | null;
  readonly arn: string;
  readonly events: readonly string[];
  readonly prefix?: string | null;
  readonly suffix?: string | null;
}

function filterValue(rule: NotificationRule, name: 'Prefix' | 'Suffix'): string | null {
  return rule.filterRules.find((f) => f.name === name)?.value ?? null;
}

export function notificationView(config: NotificationConfiguration) {
  return {
    rules: config.rules.map((r) => ({
      id: r.id,
      kind: r.kind,
      arn: r.arn,
      events: [...r.events],
      prefix: filterValue(r, 'Prefix'),
      suffix: filterValue(r, 'Suffix'),
    })),
  };
}

/** Strata's targets are webhooks named by queue ARNs, so every rule is a QueueConfiguration. */
function notificationFromInput(
  rules: readonly NotificationRuleInput[],
  ctx: GraphqlContext,
): NotificationConfiguration {
  return validateNotificationConfiguration(
    rules.map((r) => ({
      id: r.id ?? undefined,
      kind: 'Queue' as const,
      arn: r.arn,
      events: [...r.events],
      filterRules: [
        ...(r.prefix ? [{ name: 'Prefix', value: r.prefix }] : []),
        ...(r.suffix ? [{ name: 'Suffix', value: r.suffix }] : []),
      ],
    })),
    notifyTargets(ctx.config.notify, ctx.config.region),
  );
}

export const notificationMutations = {
  setBucketNotificationConfiguration: (
    _: unknown,
    args: { bucket: string; configuration: { rules: readonly NotificationRuleInput[] } },
    ctx: GraphqlContext,
  ) => {
    const bucket = requireBucketAccess(ctx.store, args.bucket, ctx.user);
    const config = notificationFromInput(args.configuration.rules, ctx);
    ctx.store.putBucketNotification(bucket.name, config);
    return notificationView(ctx.store.getBucketNotification(bucket.name));
  },
};
