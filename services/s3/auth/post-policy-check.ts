/**
 * Evaluates a POST policy against the form, as S3 does:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 *
 * - An expired policy, a failed condition, or a form field that no
 *   condition names is AccessDenied "Invalid according to Policy: …".
 * - Every field must be covered, except x-amz-signature, file, policy and
 *   x-ignore-* fields ("Each form field that you specify in a form (except
 *   …) must appear in the list of conditions").
 * - A condition on a field the form lacks fails, even starts-with "" (S3's
 *   observed answer); the bucket condition is checked against the bucket
 *   the form was posted to.
 * - starts-with on Content-Type checks each value of a comma-separated list.
 * - content-length-range is returned for the upload to enforce as it streams.
 */
import { errors } from '../../../shared/errors.js';
import type { PolicyCondition, PostPolicy } from './post-policy.js';

export interface FormField {
  /** The name as sent. */
  readonly name: string;
  readonly value: string;
}

/** Form fields before the file, by lower-case name, in the order they arrived. */
export type FormFields = ReadonlyMap<string, FormField>;

export interface LengthRange {
  readonly min: number;
  readonly max: number;
}

const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

function policyDenied(reason: string) {
  return errors.accessDenied(`Invalid according to Policy: ${reason}`);
}

function satisfied(
  c: Extract<PolicyCondition, { op: 'eq' | 'starts-with' }>,
  fields: FormFields,
  bucket: string,
): boolean {
  if (c.field === undefined) return false;
  const actual = c.field === 'bucket' ? bucket : fields.get(c.field)?.value;
  if (actual === undefined) return false;
  if (c.op === 'eq') return actual === c.value;
  if (c.field === 'content-type') return actual.split(',').every((v) => v.trim().startsWith(c.value));
  return actual.startsWith(c.value);
}

/** Throws AccessDenied when the policy refuses the form; returns the allowed file size range, if any. */
export function checkPostPolicy(
  policy: PostPolicy,
  fields: FormFields,
  bucket: string,
  now: number,
): LengthRange | undefined {
  if (now > policy.expiration.getTime()) throw policyDenied('Policy expired.');
  const covered = new Set<string>();
  let range: LengthRange | undefined;
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') {
      if (c.min === undefined || c.max === undefined)
        throw policyDenied(`Policy Condition failed: ${c.text}`);
      // Several ranges all apply: the file must fit each of them.
      range = { min: Math.max(range?.min ?? 0, c.min), max: Math.min(range?.max ?? Infinity, c.max) };
      continue;
    }
    if (c.field !== undefined) covered.add(c.field);
    if (!satisfied(c, fields, bucket)) throw policyDenied(`Policy Condition failed: ${c.text}`);
  }
  const extra: string[] = [];
  for (const [lower, field] of fields) {
    if (!EXEMPT.has(lower) && !lower.startsWith('x-ignore-') && !covered.has(lower)) extra.push(field.name);
  }
  if (extra.length > 0) throw policyDenied(`Extra input fields: ${extra.join(', ')}`);
  return range;
}
