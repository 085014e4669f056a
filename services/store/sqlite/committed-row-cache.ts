/**
 * A cache of committed rows that every request reads (the user of an access
 * key, a bucket): each lookup costs a statement and a new object, several
 * times per small request.
 *
 * It stays correct across processes (`strata user add` or `strata user
 * remove` while the server runs): SQLite's PRAGMA data_version changes when
 * any other connection commits to the file, and the cache empties when it
 * does. Writes on this connection do not change data_version, so the owning
 * table calls clear() from each of its write methods. Rows are only added
 * outside a transaction, so nothing a transaction wrote and may roll back is
 * ever cached. https://www.sqlite.org/pragma.html#pragma_data_version
 */
import type Sqlite from 'better-sqlite3';

/** Bounds the memory a flood of distinct keys can take. */
const MAX_ENTRIES = 1024;

export class CommittedRowCache<V> {
  private readonly rows = new Map<string, V>();
  private readonly dataVersion: Sqlite.Statement<[], number>;
  private seenVersion = -1;

  constructor(private readonly db: Sqlite.Database) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** The cached row for `key`, else load(key) (cached when found and outside a transaction). */
  get(key: string, load: (key: string) => V | undefined): V | undefined {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.rows.clear();
      this.seenVersion = version;
    }
    const hit = this.rows.get(key);
    if (hit !== undefined) return hit;
    const row = load(key);
    if (row !== undefined && !this.db.inTransaction) {
      if (this.rows.size >= MAX_ENTRIES) this.rows.clear();
      this.rows.set(key, row);
    }
    return row;
  }

  clear(): void {
    this.rows.clear();
  }
}
