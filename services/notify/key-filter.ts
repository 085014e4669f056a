/**
 * Prefix / suffix key filters. S3 asks for filter values in URL-encoded form
 * ("+" for a space, %XX for other special characters):
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 * so a value is decoded the same way as an event record's key, and the
 * decoded value is compared with the decoded key. A value that is not valid
 * percent-encoding is taken literally.
 */
import type { NotificationRule } from '../store/types.js';

/** Decodes a form-style URL-encoded string ("a+b%2Fc" → "a b/c"); invalid escapes stay as written. */
export function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export interface KeyFilter {
  readonly prefix: string;
  readonly suffix: string;
}

export function keyFilterOf(rule: Pick<NotificationRule, 'filterRules'>): KeyFilter {
  let prefix = '';
  let suffix = '';
  for (const r of rule.filterRules) {
    if (r.name === 'Prefix') prefix = formDecode(r.value);
    else suffix = formDecode(r.value);
  }
  return { prefix, suffix };
}

/** `key` is the decoded object key. */
export function keyFilterMatches(filter: KeyFilter, key: string): boolean {
  return key.startsWith(filter.prefix) && key.endsWith(filter.suffix);
}

/**
 * S3's ambiguity rule: two filters of rules that share an event type collide
 * when their prefixes overlap (one starts the other) and their suffixes
 * overlap (one ends the other). An absent prefix or suffix overlaps all.
 */
export function keyFiltersOverlap(a: KeyFilter, b: KeyFilter): boolean {
  const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
  return prefixes && suffixes;
}
