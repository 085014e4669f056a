/** Users: access keys, secrets and canonical ids (sqlite). */
import type Sqlite from 'better-sqlite3';
import type { User } from '../types.js';
import type { UserTable } from '../metadata/metadata-store.js';
import { CommittedRowCache } from './committed-row-cache.js';

interface UserRow {
  id: string;
  name: string;
  access_key: string;
  secret_key: string;
  is_root: number;
  created_at: number;
}

function toUser(r: UserRow | undefined): User | undefined {
  if (!r) return undefined;
  return {
    id: r.id,
    displayName: r.name,
    accessKey: r.access_key,
    secretKey: r.secret_key,
    isRoot: r.is_root === 1,
    createdAt: new Date(r.created_at),
  };
}

export class SqliteUserTable implements UserTable {
  private readonly byKey: Sqlite.Statement<[string], UserRow>;
  private readonly byNameStmt: Sqlite.Statement<[string], UserRow>;
  private readonly rootStmt: Sqlite.Statement<[], UserRow>;
  private readonly insertStmt: Sqlite.Statement<[string, string, string, string, number, number]>;
  private readonly updateStmt: Sqlite.Statement<[string, string, string]>;
  private readonly listStmt: Sqlite.Statement<[], UserRow>;
  private readonly removeStmt: Sqlite.Statement<[string]>;
  /** Users by access key (every signed request looks one up); cleared by every write. */
  private readonly cache: CommittedRowCache<User>;

  constructor(db: Sqlite.Database) {
    this.cache = new CommittedRowCache(db);
    this.byKey = db.prepare('SELECT * FROM users WHERE access_key = ?');
    this.byNameStmt = db.prepare('SELECT * FROM users WHERE name = ?');
    this.rootStmt = db.prepare('SELECT * FROM users WHERE is_root = 1 LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO users (id, name, access_key, secret_key, is_root, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateStmt = db.prepare('UPDATE users SET access_key = ?, secret_key = ? WHERE id = ?');
    this.listStmt = db.prepare('SELECT * FROM users ORDER BY is_root DESC, name');
    this.removeStmt = db.prepare('DELETE FROM users WHERE id = ?');
  }

  byAccessKey(accessKey: string): User | undefined {
    return this.cache.get(accessKey, (k) => toUser(this.byKey.get(k)));
  }
  byName(name: string): User | undefined {
    return toUser(this.byNameStmt.get(name));
  }
  root(): User | undefined {
    return toUser(this.rootStmt.get());
  }
  insert(u: User): void {
    this.cache.clear();
    this.insertStmt.run(
      u.id,
      u.displayName,
      u.accessKey,
      u.secretKey,
      u.isRoot ? 1 : 0,
      u.createdAt.getTime(),
    );
  }
  updateKeys(id: string, accessKey: string, secretKey: string): void {
    this.cache.clear();
    this.updateStmt.run(accessKey, secretKey, id);
  }
  list(): User[] {
    return this.listStmt.all().map((r) => toUser(r) as User);
  }
  remove(id: string): void {
    this.cache.clear();
    this.removeStmt.run(id);
  }
}
