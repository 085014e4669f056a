/** Named leases (sqlite): see migrations.ts, version 3. */
import type Sqlite from 'better-sqlite3';
import type { LeaseTable } from '../metadata/metadata-store.js';

export class SqliteLeaseTable implements LeaseTable {
  private readonly takeStmt: Sqlite.Statement<[string, string, number, number, string]>;
  private readonly releaseStmt: Sqlite.Statement<[string, string]>;

  constructor(db: Sqlite.Database) {
    // One statement, so taking a lease is atomic even outside a transaction.
    this.takeStmt = db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at <= ? OR leases.holder = ?`,
    );
    this.releaseStmt = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  }

  acquire(name: string, holder: string, now: number, ttlMs: number): boolean {
    return this.takeStmt.run(name, holder, now + ttlMs, now, holder).changes > 0;
  }

  release(name: string, holder: string): void {
    this.releaseStmt.run(name, holder);
  }
}
