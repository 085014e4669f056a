/**
 * The SQLite metadata store: one database file (meta.db) in WAL mode, with a
 * busy timeout so the CLI and the server can share the file. Commits are made
 * durable by group commit (wal-sync.ts): synchronous=NORMAL, and durable()
 * fdatasyncs the WAL off the event loop before a change is acknowledged.
 */
import Database from 'better-sqlite3';
import type Sqlite from 'better-sqlite3';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { migrate } from './migrations.js';
import { SqliteBlobRefTable } from './blob-ref-table.js';
import { SqliteBucketTable } from './bucket-table.js';
import { SqliteLeaseTable } from './lease-table.js';
import { SqliteOutboxTable } from './outbox-table.js';
import { SqliteUploadTable } from './upload-table.js';
import { SqliteUserTable } from './user-table.js';
import { SqliteVersionTable } from './version-table.js';
import { fileSyncer, WalSync } from './wal-sync.js';

export interface SqliteMetadataOptions {
  readonly file: string;
  readonly busyTimeoutMs?: number;
}

export class SqliteMetadataStore implements MetadataStore {
  private readonly db: Sqlite.Database;
  private readonly run: Sqlite.Transaction<(fn: () => unknown) => unknown>;
  private readonly walSync: WalSync;
  private readonly walFile: ReturnType<typeof fileSyncer>;
  private readonly changes: () => number;
  /** Changes made by bookkeeping(), which durable() does not wait for by themselves. */
  private bookkept = 0;
  private tables?: {
    users: SqliteUserTable;
    buckets: SqliteBucketTable;
    versions: SqliteVersionTable;
    uploads: SqliteUploadTable;
    blobRefs: SqliteBlobRefTable;
    outbox: SqliteOutboxTable;
    leases: SqliteLeaseTable;
  };

  constructor(opts: SqliteMetadataOptions) {
    this.db = new Database(opts.file);
    this.db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.run = this.db.transaction((fn: () => unknown) => fn());
    const totalChanges = this.db.prepare('SELECT total_changes()').pluck();
    this.changes = () => totalChanges.get() as number;
    this.walFile = fileSyncer(`${opts.file}-wal`);
    this.walSync = new WalSync(this.walFile.sync, () => this.changes() - this.bookkept);
  }

  /** WAL syncs started so far (tests). */
  get walSyncs(): number {
    return this.walSync.syncs;
  }

  bookkeeping<T>(fn: () => T): T {
    const before = this.changes();
    try {
      return this.transaction(fn);
    } finally {
      this.bookkept += this.changes() - before;
    }
  }

  durable(): Promise<void> {
    return this.walSync.durable();
  }

  migrate(): void {
    migrate(this.db);
    // Statements can only be prepared once their tables exist.
    this.tables ??= {
      users: new SqliteUserTable(this.db),
      buckets: new SqliteBucketTable(this.db),
      versions: new SqliteVersionTable(this.db),
      uploads: new SqliteUploadTable(this.db),
      blobRefs: new SqliteBlobRefTable(this.db),
      outbox: new SqliteOutboxTable(this.db),
      leases: new SqliteLeaseTable(this.db),
    };
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE: take the write lock up front, so a read-then-write cannot hit SQLITE_BUSY
    // midway. Called inside a transaction, it becomes a savepoint.
    return this.run.immediate(fn) as T;
  }

  close(): void {
    this.walFile.close();
    if (this.db.open) this.db.close();
  }

  private get t() {
    if (!this.tables) throw new Error('metadata store used before migrate()');
    return this.tables;
  }
  get users() {
    return this.t.users;
  }
  get buckets() {
    return this.t.buckets;
  }
  get versions() {
    return this.t.versions;
  }
  get uploads() {
    return this.t.uploads;
  }
  get blobRefs() {
    return this.t.blobRefs;
  }
  get outbox() {
    return this.t.outbox;
  }
  get leases() {
    return this.t.leases;
  }
}
