/**
 * The S3 keys as HTTP Basic credentials (RFC 7617): "Basic " and the base64
 * of "accessKey:secretKey". Secrets are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ObjectStore, User } from '../../services/store/types.js';

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** The credentials of a Basic Authorization header; undefined for another scheme or a malformed value. */
export function parseBasicAuthorization(header: string): Credentials | undefined {
  const m = /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { accessKey: text.slice(0, colon), secretKey: text.slice(colon + 1) };
}

export function basicAuthorization(c: Credentials): string {
  return 'Basic ' + Buffer.from(`${c.accessKey}:${c.secretKey}`, 'utf8').toString('base64');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The user these keys belong to, or undefined (unknown key and wrong secret look the same). */
export function verifyCredentials(store: ObjectStore, c: Credentials): User | undefined {
  const user = store.findUser(c.accessKey);
  // Compare digests: equal lengths, and the time does not depend on where the secrets differ.
  const expected = digest(user?.secretKey ?? 'no such user: compare anyway');
  const same = timingSafeEqual(expected, digest(c.secretKey));
  return user !== undefined && same ? user : undefined;
}
