/**
 * Which rules of a bucket's notification configuration an event matches: the
 * event name is covered by one of the rule's events (wildcards included) and
 * the decoded key passes its prefix / suffix filter. One delivery per matching
 * rule, as S3 sends one message per matching configuration.
 */
import type { S3EventRecord } from '../../shared/events.js';
import type { NotificationConfiguration, NotificationRule } from '../store/types.js';
import { eventNameCovers } from './event-names.js';
import { formDecode, keyFilterMatches, keyFilterOf } from './key-filter.js';

export function matchingRules(config: NotificationConfiguration, record: S3EventRecord): NotificationRule[] {
  const name = `s3:${record.eventName}`;
  const key = formDecode(record.s3.object.key);
  return config.rules.filter(
    (r) => r.events.some((e) => eventNameCovers(e, name)) && keyFilterMatches(keyFilterOf(r), key),
  );
}
