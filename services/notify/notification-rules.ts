/**
 * Validates a bucket's notification configuration as S3 does before storing
 * it (PutBucketNotificationConfiguration), whichever protocol it came from:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 * Every failure is InvalidArgument with S3's wording; nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { errors } from '../../shared/errors.js';
import type { NotificationConfiguration, NotificationRule } from '../store/types.js';
import { eventNamesOverlap, isNotificationEventName } from './event-names.js';
import { keyFilterOf, keyFiltersOverlap } from './key-filter.js';
import type { NotifyTargets } from './targets.js';

/** A rule as a client sent it: the Id may be absent, filter rule names in any case. */
export interface NotificationRuleInput {
  readonly id: string | undefined;
  readonly kind: NotificationRule['kind'];
  readonly arn: string;
  readonly events: readonly string[];
  readonly filterRules: readonly { readonly name: string; readonly value: string }[];
}

const MAX_ID_CHARS = 255;
// A key is at most 1024 bytes, so a longer prefix or suffix could never match.
const MAX_FILTER_VALUE_BYTES = 1024;

function filterRules(input: NotificationRuleInput): NotificationRule['filterRules'] {
  const out: { name: 'Prefix' | 'Suffix'; value: string }[] = [];
  for (const r of input.filterRules) {
    const lower = r.name.toLowerCase();
    if (lower !== 'prefix' && lower !== 'suffix') {
      throw errors.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule', r.name);
    }
    const name = lower === 'prefix' ? 'Prefix' : 'Suffix';
    if (out.some((o) => o.name === name)) {
      throw errors.invalidArgument(
        `Cannot specify more than one ${lower} rule in a filter.`,
        'FilterRule',
        r.name,
      );
    }
    if (Buffer.byteLength(r.value) > MAX_FILTER_VALUE_BYTES) {
      throw errors.invalidArgument(
        `The ${lower} filter value is longer than ${MAX_FILTER_VALUE_BYTES} bytes.`,
        'FilterRule',
        r.name,
      );
    }
    out.push({ name, value: r.value });
  }
  return out;
}

function rule(input: NotificationRuleInput): NotificationRule {
  if (input.id !== undefined && [...input.id].length > MAX_ID_CHARS) {
    throw errors.invalidArgument(
      `The Id value can be up to ${MAX_ID_CHARS} characters long.`,
      'Id',
      input.id,
    );
  }
  for (const e of input.events) {
    if (!isNotificationEventName(e)) {
      throw errors.invalidArgument('The event is not supported for notifications', 'Event', e);
    }
  }
  return {
    // S3 names an unnamed configuration with a base64 string of a random UUID.
    id: input.id ?? Buffer.from(randomUUID()).toString('base64'),
    kind: input.kind,
    arn: input.arn,
    events: [...input.events],
    filterRules: filterRules(input),
  };
}

function checkOverlaps(rules: readonly NotificationRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    const a = rules[i] as NotificationRule;
    for (const b of rules.slice(0, i)) {
      const shared = a.events.flatMap((ea) =>
        b.events.filter((eb) => eventNamesOverlap(ea, eb)).map((eb) => [ea, eb]),
      );
      if (shared.length === 0 || !keyFiltersOverlap(keyFilterOf(a), keyFilterOf(b))) continue;
      const [ea, eb] = shared[0] as string[];
      if (a.filterRules.length === 0 && b.filterRules.length === 0) {
        throw errors.invalidArgument(
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
          'Event',
          `${eb}, ${ea}`,
        );
      }
      throw errors.invalidArgument(
        'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
        'Event',
        `${eb}, ${ea}`,
      );
    }
  }
}

/**
 * The configuration to store. With `skipDestinationValidation` (S3's
 * x-amz-skip-destination-validation) rules may name targets that are not
 * configured yet; deliveries to them are skipped until they are.
 */
export function validateNotificationConfiguration(
  inputs: readonly NotificationRuleInput[],
  targets: NotifyTargets,
  opts: { skipDestinationValidation?: boolean } = {},
): NotificationConfiguration {
  const rules = inputs.map(rule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) {
      throw errors.invalidArgument('Configuration IDs must be unique on a bucket.', 'Id', r.id);
    }
    ids.add(r.id);
  }
  checkOverlaps(rules);
  if (!opts.skipDestinationValidation) {
    const details: Record<string, string> = {};
    let n = 0;
    for (const r of rules) {
      const why = targets.whyUnusable(r);
      if (why === undefined) continue;
      n++;
      details[`ArgumentName${n}`] = r.arn;
      details[`ArgumentValue${n}`] = why;
    }
    if (n > 0) {
      throw errors.make(
        'InvalidArgument',
        'Unable to validate the following destination configurations',
        details,
      );
    }
  }
  return { rules };
}
