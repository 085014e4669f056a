/**
 * Which events a subscription wants: one bucket, an optional key prefix
 * (of the decoded key) and event-name patterns. A pattern is an S3 event name
 * with or without "s3:", optionally ending in "*" ("s3:ObjectCreated:*",
 * "ObjectRemoved:*"), as S3 notification configurations write them:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
import { errors } from '../../shared/errors.js';
import type { S3EventName } from '../../shared/events.js';

type ShortName<T> = T extends `s3:${infer N}` ? N : never;

/** Every name Strata emits, without "s3:" (for validating patterns). */
const EVENT_NAMES: readonly string[] = [
  'ObjectCreated:Put',
  'ObjectCreated:Post',
  'ObjectCreated:Copy',
  'ObjectCreated:CompleteMultipartUpload',
  'ObjectRemoved:Delete',
  'ObjectRemoved:DeleteMarkerCreated',
  'ObjectTagging:Put',
  'ObjectTagging:Delete',
  'ObjectRestore:Post',
  'ObjectRestore:Completed',
  'ObjectAccessed:Get',
  'ObjectAccessed:Head',
] satisfies readonly ShortName<S3EventName>[];

/** "s3:ObjectCreated:Put" → "ObjectCreated:Put" (records carry the short form). */
export function shortEventName(name: string): string {
  return name.startsWith('s3:') ? name.slice(3) : name;
}

export type EventNameMatcher = (eventName: string) => boolean;

function patternMatcher(pattern: string): EventNameMatcher {
  const p = shortEventName(pattern);
  if (p.endsWith('*')) {
    const head = p.slice(0, -1);
    return (name) => shortEventName(name).startsWith(head);
  }
  return (name) => shortEventName(name) === p;
}

/**
 * A matcher for the given patterns (all events when there are none).
 * InvalidArgument for a pattern that matches no event S3 defines.
 */
export function eventNameMatcher(patterns: readonly string[] | null | undefined): EventNameMatcher {
  if (!patterns || patterns.length === 0) return () => true;
  const matchers = patterns.map((pattern) => {
    const m = patternMatcher(pattern);
    if (!/^(s3:)?[A-Za-z:*]+$/.test(pattern) || !EVENT_NAMES.some(m)) {
      throw errors.invalidArgument(
        `The event name pattern ${pattern} matches no S3 event`,
        'events',
        pattern,
      );
    }
    return m;
  });
  return (name) => matchers.some((m) => m(name));
}
