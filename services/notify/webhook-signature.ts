/**
 * The signature of a webhook delivery: X-Strata-Signature: sha256=<hex>, the
 * HMAC-SHA256 of the raw request body under the target's secret (the scheme
 * GitHub uses for X-Hub-Signature-256). A receiver recomputes it over the
 * bytes it received, before parsing them, and compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-strata-signature';

export function signWebhookBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `signature` (the header value) is the signature of `body` under `secret`. */
export function verifyWebhookSignature(
  secret: string,
  body: string | Buffer,
  signature: string | undefined,
): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
