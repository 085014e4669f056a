/**
 * The caller of a route that authenticates itself (POST Object reads its
 * credentials from the signed policy in the form, not from the request
 * headers). The authenticator hands this placeholder to such routes; it owns
 * nothing and can reach nothing, so a handler that forgot to authenticate
 * would still be refused by every owner check.
 */
import type { User } from '../../store/types.js';

export const ANONYMOUS_USER: User = Object.freeze({
  accessKey: '',
  secretKey: '',
  // Never a canonical user id (those are 64 hex characters), so it matches no owner.
  id: 'anonymous',
  displayName: 'anonymous',
  isRoot: false,
  createdAt: new Date(0),
});

export function isAnonymous(user: User): boolean {
  return user === ANONYMOUS_USER;
}
