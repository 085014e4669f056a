/** The event outbox (sqlite): see migrations.ts, version 3. */
import type Sqlite from 'better-sqlite3';
import type { NewOutboxRow, OutboxRow, OutboxTable } from '../metadata/metadata-store.js';

interface HeadRow {
  id: number;
  created_at: number;
  sent_at: number | null;
}

export class SqliteOutboxTable implements OutboxTable {
  private readonly appendStmt: Sqlite.Statement<[number, string, string, string, string]>;
  private readonly pendingStmt: Sqlite.Statement<
    [number, number],
    { id: number; created_at: number; record: string }
  >;
  private readonly markStmt: Sqlite.Statement<[number, number]>;
  private readonly backlogStmt: Sqlite.Statement<[], { n: number; oldest: number | null }>;
  private readonly lastIdStmt: Sqlite.Statement<[], number>;
  private readonly headStmt: Sqlite.Statement<[number], HeadRow>;
  private readonly pruneStmt: Sqlite.Statement<[number]>;

  constructor(db: Sqlite.Database) {
    this.appendStmt = db.prepare(
      'INSERT INTO outbox (created_at, bucket, key, event_name, record) VALUES (?, ?, ?, ?, ?)',
    );
    this.pendingStmt = db.prepare(
      'SELECT id, created_at, record FROM outbox WHERE sent_at IS NULL AND id > ? ORDER BY id LIMIT ?',
    );
    this.markStmt = db.prepare('UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND id <= ?');
    // The oldest unsent row is the one with the lowest id (ids follow commit order).
    this.backlogStmt = db.prepare(
      `SELECT count(*) AS n,
              (SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1) AS oldest
         FROM outbox WHERE sent_at IS NULL`,
    );
    this.lastIdStmt = db
      .prepare<[], number>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)")
      .pluck();
    this.headStmt = db.prepare('SELECT id, created_at, sent_at FROM outbox ORDER BY id LIMIT ?');
    this.pruneStmt = db.prepare('DELETE FROM outbox WHERE id <= ?');
  }

  append(row: NewOutboxRow): number {
    const r = this.appendStmt.run(row.createdAt, row.bucket, row.key, row.eventName, row.record);
    return Number(r.lastInsertRowid);
  }

  pending(afterId: number, limit: number): OutboxRow[] {
    return this.pendingStmt
      .all(afterId, limit)
      .map((r) => ({ id: r.id, createdAt: r.created_at, record: r.record }));
  }

  markSent(upToId: number, sentAt: number): void {
    this.markStmt.run(sentAt, upToId);
  }

  stats(): { backlog: number; oldestCreatedAt: number | undefined; lastId: number } {
    const b = this.backlogStmt.get()!;
    return { backlog: b.n, oldestCreatedAt: b.oldest ?? undefined, lastId: this.lastIdStmt.get() ?? 0 };
  }

  /**
   * Sent rows form a prefix of the table (the relay marks in id order), so only
   * the head is looked at: bounded work however large the table is.
   */
  prune(createdBefore: number, limit: number): number {
    let last = 0;
    let n = 0;
    for (const r of this.headStmt.all(limit)) {
      if (r.sent_at === null || r.created_at >= createdBefore) break;
      last = r.id;
      n++;
    }
    if (n > 0) this.pruneStmt.run(last);
    return n;
  }
}
