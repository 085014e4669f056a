/**
 * Who is calling: Basic credentials (scripts, curl, GraphiQL with the
 * browser's login prompt) or the session cookie (the browser login). A
 * request that names credentials and fails is refused even when the other
 * way would work, so a wrong header never falls back silently.
 */
import type { IncomingMessage } from 'node:http';
import type { ObjectStore, User } from '../../services/store/types.js';
import { parseBasicAuthorization, verifyCredentials } from './basic-credentials.js';
import { cookieValue, SESSION_COOKIE } from './cookies.js';
import type { SessionStore } from './session-store.js';

export type AuthOutcome =
  | { readonly user: User; readonly sessionId?: string }
  /** missing: no credentials; invalid: wrong or expired ones; unavailable: sessions cannot be read now. */
  | { readonly failure: 'missing' | 'invalid' | 'unavailable' };

export interface RequestAuthenticator {
  (req: IncomingMessage): Promise<AuthOutcome>;
  /** Credentials given in a WebSocket connection_init payload instead of headers. */
  fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): AuthOutcome;
}

/**
 * A cookie-authenticated request that says where it comes from must come
 * from this server's own pages (defence in depth next to SameSite=Strict).
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createRequestAuthenticator(store: ObjectStore, sessions: SessionStore): RequestAuthenticator {
  function fromBasic(header: string): AuthOutcome {
    const creds = parseBasicAuthorization(header);
    const user = creds && verifyCredentials(store, creds);
    return user ? { user } : { failure: 'invalid' };
  }

  async function fromSession(id: string, req: IncomingMessage): Promise<AuthOutcome> {
    if (!sameOrigin(req)) return { failure: 'invalid' };
    let session;
    try {
      session = await sessions.get(id);
    } catch {
      return { failure: 'unavailable' };
    }
    if (!session) return { failure: 'invalid' };
    const user = store.findUser(session.accessKey);
    // A user removed, or re-created under the same key, loses its sessions.
    if (!user || user.id !== session.userId) return { failure: 'invalid' };
    return { user, sessionId: id };
  }

  const authenticate = async (req: IncomingMessage): Promise<AuthOutcome> => {
    const header = req.headers.authorization;
    if (header !== undefined && header !== '') return fromBasic(header);
    const sessionId = cookieValue(req, SESSION_COOKIE);
    if (sessionId !== undefined && sessionId !== '') return fromSession(sessionId, req);
    return { failure: 'missing' };
  };

  return Object.assign(authenticate, {
    fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): AuthOutcome {
      const header = params?.['authorization'] ?? params?.['Authorization'];
      if (typeof header === 'string' && header !== '') return fromBasic(header);
      const accessKey = params?.['accessKey'];
      const secretKey = params?.['secretKey'];
      if (typeof accessKey === 'string' && typeof secretKey === 'string') {
        const user = verifyCredentials(store, { accessKey, secretKey });
        return user ? { user } : { failure: 'invalid' };
      }
      return { failure: 'missing' };
    },
  });
}
