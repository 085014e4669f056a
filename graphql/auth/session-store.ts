/**
 * Browser sessions, kept in Redis so that every gateway process knows them
 * and they outlive a restart. The cookie holds a random 256-bit id; Redis
 * holds only its SHA-256 (a copy of the keyspace does not hand out sessions),
 * with the user and an expiry (the key's TTL).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { User } from '../../services/store/types.js';

export interface Session {
  readonly userId: string;
  readonly accessKey: string;
  readonly expiresAt: Date;
}

export interface SessionStore {
  /** Starts a session for `user`; the id goes into the cookie. */
  create(user: User): Promise<{ id: string; session: Session }>;
  /** The live session with this id, or undefined (unknown, expired or malformed id). */
  get(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
}

/** Session ids are 32 random bytes, base64url: 43 characters. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `redis` is called on first use, so a process without browser sessions never connects. */
export function createRedisSessionStore(opts: {
  redis: () => Promise<Redis>;
  keyPrefix: string;
  ttlSeconds: number;
}): SessionStore {
  const keyOf = (id: string) => `${opts.keyPrefix}${createHash('sha256').update(id).digest('hex')}`;
  return {
    async create(user) {
      const id = randomBytes(32).toString('base64url');
      const session: Session = {
        userId: user.id,
        accessKey: user.accessKey,
        expiresAt: new Date(Date.now() + opts.ttlSeconds * 1000),
      };
      await (
        await opts.redis()
      ).set(
        keyOf(id),
        JSON.stringify({
          userId: session.userId,
          accessKey: session.accessKey,
          expiresAt: session.expiresAt.getTime(),
        }),
        'EX',
        opts.ttlSeconds,
      );
      return { id, session };
    },
    async get(id) {
      if (!ID_PATTERN.test(id)) return undefined;
      const raw = await (await opts.redis()).get(keyOf(id));
      if (raw === null) return undefined;
      const v = JSON.parse(raw) as { userId: string; accessKey: string; expiresAt: number };
      if (v.expiresAt <= Date.now()) return undefined;
      return { userId: v.userId, accessKey: v.accessKey, expiresAt: new Date(v.expiresAt) };
    },
    async destroy(id) {
      if (!ID_PATTERN.test(id)) return;
      await (await opts.redis()).del(keyOf(id));
    },
  };
}
