/**
 * Users: the root user (keys from the environment or generated) and users
 * added with `strata user add`. Duplicates are plain Errors with a message the
 * CLI prints; they are not S3 errors. Every lookup reads the database, so a
 * user added by the CLI process is seen by the running server at once.
 */
import { randomBytes } from 'node:crypto';
import type { MetadataStore } from './metadata/metadata-store.js';
import type { User } from './types.js';

const ROOT_NAME = 'root';

function canonicalId(): string {
  return randomBytes(32).toString('hex');
}

export function ensureRootUser(meta: MetadataStore, accessKey: string, secretKey: string): User {
  return meta.transaction(() => {
    const root = meta.users.root();
    const holder = meta.users.byAccessKey(accessKey);
    if (holder && !holder.isRoot) {
      throw new Error(
        `access key ${accessKey} already belongs to user "${holder.displayName}"; choose other root keys`,
      );
    }
    if (root) {
      // Keys changed through the environment: update them; buckets keep the owner id.
      if (root.accessKey !== accessKey || root.secretKey !== secretKey)
        meta.users.updateKeys(root.id, accessKey, secretKey);
      return { ...root, accessKey, secretKey };
    }
    const user: User = {
      id: canonicalId(),
      displayName: ROOT_NAME,
      accessKey,
      secretKey,
      isRoot: true,
      createdAt: new Date(),
    };
    meta.users.insert(user);
    return user;
  });
}

export function createUser(meta: MetadataStore, name: string, accessKey: string, secretKey: string): User {
  return meta.transaction(() => {
    if (meta.users.byName(name)) throw new Error(`a user named "${name}" already exists`);
    if (meta.users.byAccessKey(accessKey)) throw new Error(`access key ${accessKey} is already in use`);
    const user: User = {
      id: canonicalId(),
      displayName: name,
      accessKey,
      secretKey,
      isRoot: false,
      createdAt: new Date(),
    };
    meta.users.insert(user);
    return user;
  });
}

export function removeUser(meta: MetadataStore, accessKeyOrName: string): boolean {
  return meta.transaction(() => {
    const user = meta.users.byAccessKey(accessKeyOrName) ?? meta.users.byName(accessKeyOrName);
    if (!user) return false;
    if (user.isRoot) throw new Error('the root user cannot be removed');
    // A removed owner would leave its buckets unreachable and their names taken for good.
    const owned = meta.buckets.listByOwner(user.id);
    if (owned.length > 0) {
      const names = owned.map((b) => b.name);
      throw new Error(
        `user "${user.displayName}" still owns ${owned.length} bucket(s) (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); delete them first`,
      );
    }
    meta.users.remove(user.id);
    return true;
  });
}
