/** Reference counts of blob files and the list of blobs to delete (sqlite). */
import type Sqlite from 'better-sqlite3';
import type { BlobRefTable } from '../metadata/metadata-store.js';

export class SqliteBlobRefTable implements BlobRefTable {
  private readonly retainStmt: Sqlite.Statement<[string]>;
  private readonly decrementStmt: Sqlite.Statement<[string], number>;
  private readonly dropStmt: Sqlite.Statement<[string]>;
  private readonly addGarbageStmt: Sqlite.Statement<[string]>;
  private readonly existsStmt: Sqlite.Statement<[string], number>;
  private readonly garbageStmt: Sqlite.Statement<[], string>;
  private readonly forgetStmt: Sqlite.Statement<[string]>;

  constructor(db: Sqlite.Database) {
    this.retainStmt = db.prepare(
      'INSERT INTO blobs (id, refs) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET refs = refs + 1',
    );
    this.decrementStmt = db
      .prepare<[string], number>('UPDATE blobs SET refs = refs - 1 WHERE id = ? RETURNING refs')
      .pluck();
    this.dropStmt = db.prepare('DELETE FROM blobs WHERE id = ?');
    this.addGarbageStmt = db.prepare('INSERT OR IGNORE INTO garbage_blobs (id) VALUES (?)');
    this.existsStmt = db.prepare<[string], number>('SELECT 1 FROM blobs WHERE id = ?').pluck();
    this.garbageStmt = db.prepare<[], string>('SELECT id FROM garbage_blobs').pluck();
    this.forgetStmt = db.prepare('DELETE FROM garbage_blobs WHERE id = ?');
  }

  retain(ids: readonly string[]): void {
    for (const id of ids) this.retainStmt.run(id);
  }

  release(ids: readonly string[]): string[] {
    const freed: string[] = [];
    for (const id of ids) {
      const refs = this.decrementStmt.get(id);
      if (refs === undefined || refs > 0) continue;
      this.dropStmt.run(id);
      this.addGarbageStmt.run(id);
      freed.push(id);
    }
    return freed;
  }

  isCommitted(id: string): boolean {
    return this.existsStmt.get(id) !== undefined;
  }
  garbage(): string[] {
    return this.garbageStmt.all();
  }
  forgetGarbage(ids: readonly string[]): void {
    for (const id of ids) this.forgetStmt.run(id);
  }
}
